// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.followup;

import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.server.access.Access;
import terrain.server.access.Role;
import terrain.server.access.Staff;
import terrain.store.StoreException;

/**
 * Who may write follow-ups: the one place the staff routes of this package are checked, on the
 * staff accounts of decision 0037. The admin role is needed (a follow-up speaks for the town): a
 * bearer token of an admin account (or the deprecated shared admin token) for the API, the staff
 * sign-in's session for the pages. Every version written goes into the audit log.
 */
public final class StaffAccess {
  private static final Logger log = LoggerFactory.getLogger(StaffAccess.class);

  private final Access access;

  public StaffAccess(Access access) {
    this.access = access;
  }

  /** False when no staff member can sign in (no account and no shared token), or unreadable. */
  public boolean enabled() {
    try {
      return access.enabled();
    } catch (StoreException e) {
      log.warn("Reading the staff accounts failed", e);
      return false;
    }
  }

  /** True for an API call of an admin; otherwise 401, 403 or 503 is sent. */
  public boolean allowsApi(Request request, Response response, Callback callback) {
    return access.allows(request, response, callback, Role.ADMIN);
  }

  /** The signed-in admin's name, or empty (the page then sends to the sign-in). */
  public Optional<String> signedIn(Request request) throws StoreException {
    return signedInAdmin(request).map(Staff::name);
  }

  private Optional<Staff> signedInAdmin(Request request) throws StoreException {
    return access.signedIn(request).filter(s -> s.may(Role.ADMIN));
  }

  /**
   * Who wrote a version through the API: the account's name; with the shared admin token only, the
   * {@code "by"} the script gave.
   */
  public String author(Request request, String claimed) {
    return Access.of(request)
        .filter(s -> s.via() != Staff.Via.SHARED_TOKEN)
        .map(Staff::name)
        .orElse(claimed);
  }

  /** Writes the audit entry of a version written ({@code followup.write}). */
  public void audited(Request request, String target, String status) throws StoreException {
    Optional<Staff> staff = Access.of(request);
    if (staff.isEmpty()) {
      staff = signedInAdmin(request);
    }
    staff.ifPresent(s -> access.audit(request, s, "followup.write", target, status));
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.testing;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Optional;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.EnrolmentText;
import terrain.enrolment.EnrolmentClient;
import terrain.enrolment.EnrolmentException;
import terrain.kiosk.trust.DeviceTrust;

/** Enrols a kiosk the way {@code terrain kiosk --enrol} does, for tests that need one. */
public final class TestEnrolment {
  private TestEnrolment() {}

  /** Enrols the kiosk of {@code text} into {@code data}, a folder that holds no other device. */
  public static DeviceTrust kiosk(EnrolmentText text, Path data) throws EnrolmentException {
    return new DeviceTrust(
        EnrolmentClient.withDefaultClient(new SecureRandom())
            .enrol(text, data, EnumSet.of(DeviceKind.KIOSK), Optional.empty()));
  }

  /** Enrols the facilitator's tablet of {@code text} into {@code data}. */
  public static DeviceTrust tablet(EnrolmentText text, Path data) throws EnrolmentException {
    return new DeviceTrust(
        EnrolmentClient.withDefaultClient(new SecureRandom())
            .enrol(text, data, EnumSet.of(DeviceKind.TABLET), Optional.empty()));
  }
}

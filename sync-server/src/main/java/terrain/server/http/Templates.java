// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.http;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.Map;

/**
 * The server's pages, rendered from the JTE templates of {@code src/main/jte}. The templates are
 * compiled to classes of {@code terrain.server.jte} at build time (jte-maven-plugin), so the server
 * neither reads nor compiles a template at run time, and a template that does not compile fails the
 * build. Content type HTML: every {@code ${...}} is escaped for where it stands (text, attribute);
 * markup built in Java goes in only through {@code $unsafe{...}}. Decision 0030.
 */
public final class Templates {
  /** The package the plugin writes the compiled templates to (sync-server/pom.xml). */
  static final String PACKAGE = "terrain.server.jte";

  private static final TemplateEngine ENGINE =
      TemplateEngine.createPrecompiled(
          null, ContentType.Html, Templates.class.getClassLoader(), PACKAGE);

  private Templates() {}

  /**
   * The template {@code name} (its path under {@code src/main/jte}, e.g. {@code results/home.jte})
   * filled with {@code params}, as a whole page.
   */
  public static String render(String name, Map<String, Object> params) {
    return renderTo(name, params);
  }

  /**
   * The template {@code name} as a piece of another page ({@link EventPageSection}): written where
   * the page puts it, escaped by its own template.
   */
  public static gg.jte.Content content(String name, Map<String, Object> params) {
    return output -> ENGINE.render(name, params, output);
  }

  private static String renderTo(String name, Map<String, Object> params) {
    StringOutput out = new StringOutput(8 * 1024);
    ENGINE.render(name, params, out);
    return out.toString();
  }
}

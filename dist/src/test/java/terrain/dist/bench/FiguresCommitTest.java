// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Figures#commit}: what code a run measured, in a real git work tree. */
class FiguresCommitTest {
  @TempDir Path tree;

  @Test
  void commit_namesTheCodeAndLeavesTheDocumentationOut() throws Exception {
    git("init", "-q");
    Files.createDirectories(tree.resolve("docs"));
    Files.writeString(tree.resolve("Code.java"), "class Code {}\n");
    Files.writeString(tree.resolve("README.md"), "# readme\n");
    Files.writeString(tree.resolve("docs/STATE.md"), "state\n");
    git("add", "-A");
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "first");
    String head = git("rev-parse", "--short", "HEAD");

    assertEquals(head, Figures.commit(tree), "a clean tree is its commit");

    Files.writeString(tree.resolve("docs/STATE.md"), "state, with this session's figures\n");
    Files.writeString(tree.resolve("README.md"), "# readme, edited\n");
    Files.writeString(tree.resolve("docs/new-decision.md"), "new\n");
    assertEquals(head, Figures.commit(tree), "documentation edits are not the code");

    Files.writeString(tree.resolve("Code.java"), "class Code { int x; }\n");
    String first = Figures.commit(tree);
    assertTrue(first.matches(head + "-dirty-[0-9a-f]{8}"), first);
    assertEquals(first, Figures.commit(tree), "the same change, the same name");

    Files.writeString(tree.resolve("Code.java"), "class Code { int y; }\n");
    String other = Figures.commit(tree);
    assertNotEquals(first, other, "another change, another name");

    Files.writeString(tree.resolve("Code.java"), "class Code {}\n");
    Files.writeString(tree.resolve("Added.java"), "class Added {}\n");
    String untracked = Figures.commit(tree);
    assertTrue(untracked.startsWith(head + "-dirty-"), "a new file counts: " + untracked);
    Files.writeString(tree.resolve("Added.java"), "class Added { int z; }\n");
    assertNotEquals(untracked, Figures.commit(tree), "and so does its content");
  }

  @Test
  void commit_outsideAWorkTreeIsUnknown() {
    assertEquals("unknown", Figures.commit(tree));
  }

  private String git(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git", "-C", tree.toString()));
    command.addAll(List.of(args));
    Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(git.getInputStream().readAllBytes()).trim();
    assertTrue(git.waitFor(30, TimeUnit.SECONDS), "git " + List.of(args));
    assertEquals(0, git.exitValue(), "git " + List.of(args) + ": " + out);
    return out;
  }
}

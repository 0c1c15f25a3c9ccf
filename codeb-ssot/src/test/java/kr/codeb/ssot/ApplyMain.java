package kr.codeb.ssot;

import java.nio.file.Path;
import kr.codeb.CodeBException;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.ProjectPorts;
import kr.codeb.ports.RegistryEdit;

/**
 * Run in a separate JVM by the group commit tests: applies one edit to an SSOT file through
 * {@link FileSsotStore#apply} and prints the outcome on one line:
 * {@code allocated <created> <blue> <green>}, {@code released <released>} or
 * {@code error <kind> <message>}.
 *
 * <p>{@code ApplyMain FILE allocate|release PROJECT ENV}
 */
public final class ApplyMain {
  private ApplyMain() {}

  public static void main(String[] args) {
    Path file = Path.of(args[0]);
    ProjectName project = ProjectName.of(args[2]);
    Environment env = Environment.of(args[3]);
    try (FileSsotStore store = FileSsotStore.open(file)) {
      if (args[1].equals("allocate")) {
        ProjectPorts p = store.apply(RegistryEdit.Allocate.of(project, env));
        System.out.println("allocated " + p.created() + " " + p.ports().blue() + " "
            + p.ports().green());
      } else {
        System.out.println("released " + store.apply(new RegistryEdit.Release(project, env)));
      }
    } catch (CodeBException e) {
      System.out.println("error " + e.kind() + " " + e.getMessage());
    }
  }
}

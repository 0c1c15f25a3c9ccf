package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of DESIGN.md, checked on the sources of every module of the build (read from
 * the root pom): one owner per package, {@code .internal} packages used only by their own module
 * (or by a module they are exported to, as a JPMS qualified export would say), the CLI wired to
 * adapters only through ServiceLoader, and no vendor type in a public signature.
 */
class ArchitectureTest {
  /** Internal packages another module may use, and which: JPMS's "exports P to M". */
  private static final Map<String, Set<String>> QUALIFIED_EXPORTS = Map.of(
      // Podman speaks the Docker engine API: its runtime is the Docker engine with a dialect.
      "kr.codeb.docker.internal", Set.of("codeb-podman"),
      // The MCP server is a thin layer over the CLI's config, providers and JSON shapes
      // (CliServices), and contributes `we mcp` (CliExtension): it cannot drift from `we`.
      "kr.codeb.cli.internal", Set.of("codeb-mcp"));
  /**
   * Modules besides codeb-api whose public packages the CLI may import. Not providers: nothing
   * to choose by URI, no engine behind them, one implementation; a ServiceLoader indirection
   * would add nothing. codeb-workflow writes GitHub Actions files, which is no part of the
   * deploy library's model, so it stays out of codeb-api. codeb-ssot-server is the HTTP
   * server `we ssot serve` runs over the SsotStore the CLI opened (through ProviderRegistry).
   * codeb-init composes the other operations into `we init` over providers the CLI opened.
   */
  private static final Set<String> CLI_LIBRARIES =
      Set.of("codeb-api", "codeb-workflow", "codeb-ssot-server", "codeb-db", "codeb-init");
  private static final List<String> VENDOR_PACKAGES = List.of("com.fasterxml.", "okhttp3.",
      "okio.", "com.github.dockerjava.", "io.github.resilience4j.", "picocli.", "net.schmizz.",
      "com.hierynomus.", "org.bouncycastle.", "org.postgresql.", "redis.clients.",
      "org.apache.commons.");
  private static final Pattern IMPORT =
      Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+?)\\.([A-Z*][\\w*]*)[\\w.*]*;", Pattern.MULTILINE);

  private static Path root;
  private static final Map<String, String> OWNER = new TreeMap<>();          // package -> module
  private static final Map<Path, String> SOURCES = new TreeMap<>();          // main file -> module

  @BeforeAll
  static void readSources() throws IOException {
    root = Path.of("").toAbsolutePath().getParent();
    String pom = Files.readString(root.resolve("pom.xml"));
    Matcher m = Pattern.compile("<module>([\\w-]+)</module>").matcher(pom);
    List<String> splits = new ArrayList<>();
    while (m.find()) {
      String module = m.group(1);
      Path src = root.resolve(module).resolve("src/main/java");
      if (!Files.isDirectory(src)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(src)) {
        files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
          SOURCES.put(f, module);
          String pkg = src.relativize(f.getParent()).toString().replace('/', '.');
          String before = OWNER.putIfAbsent(pkg, module);
          if (before != null && !before.equals(module)) {
            splits.add(pkg + " in " + before + " and " + module);
          }
        });
      }
    }
    assertTrue(SOURCES.size() > 100, "found the sources of the build under " + root);
    assertEquals(List.of(), splits, "packages split across modules");
  }

  @Test
  void internalPackagesAreUsedOnlyByTheirModuleOrWhereExported() {
    List<String> violations = new ArrayList<>();
    forEachImport((file, module, pkg) -> {
      String owner = OWNER.get(pkg);
      if (owner != null && !owner.equals(module) && isInternal(pkg)
          && !QUALIFIED_EXPORTS.getOrDefault(pkg, Set.of()).contains(module)) {
        violations.add(root.relativize(file) + " imports " + pkg + " (internal to " + owner + ")");
      }
    });
    assertEquals(List.of(), violations);
  }

  @Test
  void theCliImportsNoAdapterAndNoTestkit() {
    List<String> violations = new ArrayList<>();
    forEachImport((file, module, pkg) -> {
      String owner = OWNER.get(pkg);
      if (module.equals("codeb-cli") && owner != null && !CLI_LIBRARIES.contains(owner)
          && !owner.equals("codeb-cli")) {
        violations.add(root.relativize(file) + " imports " + pkg + " of " + owner);
      }
    });
    assertEquals(List.of(), violations, "the CLI reaches adapters only through ProviderRegistry");
  }

  @Test
  void codebApiImportsNoVendorLibrary() {
    List<String> violations = new ArrayList<>();
    forEachImport((file, module, pkg) -> {
      if (module.equals("codeb-api") && isVendor(pkg + ".")) {
        violations.add(root.relativize(file) + " imports " + pkg);
      }
    });
    assertEquals(List.of(), violations);
  }

  @Test
  void publicSignaturesOfPublicPackagesNameNoVendorType() throws Exception {
    List<String> violations = new ArrayList<>();
    int checked = 0;
    for (Map.Entry<Path, String> e : SOURCES.entrySet()) {
      String pkg = packageOf(e.getKey());
      if (isInternal(pkg) || e.getValue().equals("codeb-cli") || e.getValue().equals("examples")) {
        continue;
      }
      String name = pkg + "." + e.getKey().getFileName().toString().replace(".java", "");
      if (name.endsWith("package-info")) {
        continue;
      }
      Class<?> type = Class.forName(name, false, getClass().getClassLoader());
      checked++;
      for (Class<?> c : withNested(type)) {
        if (!Modifier.isPublic(c.getModifiers())) {
          continue;
        }
        signatureTypes(c).forEach(t -> {
          if (isVendor(t.getTypeName())) {
            violations.add(c.getName() + " shows " + t.getTypeName());
          }
        });
      }
    }
    assertTrue(checked > 80, "checked the public types (" + checked + ")");
    assertEquals(List.of(), violations);
  }

  private static List<Class<?>> withNested(Class<?> type) {
    List<Class<?>> all = new ArrayList<>(List.of(type));
    for (Class<?> nested : type.getDeclaredClasses()) {
      all.addAll(withNested(nested));
    }
    return all;
  }

  private static List<Type> signatureTypes(Class<?> c) {
    List<Type> types = new ArrayList<>();
    if (c.getGenericSuperclass() != null) {
      types.add(c.getGenericSuperclass());
    }
    types.addAll(List.of(c.getGenericInterfaces()));
    List<Executable> members = new ArrayList<>(List.of(c.getDeclaredConstructors()));
    members.addAll(List.of(c.getDeclaredMethods()));
    for (Executable x : members) {
      if (Modifier.isPublic(x.getModifiers()) || Modifier.isProtected(x.getModifiers())) {
        types.addAll(List.of(x.getGenericParameterTypes()));
        types.addAll(List.of(x.getGenericExceptionTypes()));
        if (x instanceof Method method) {
          types.add(method.getGenericReturnType());
        }
      }
    }
    for (Field f : c.getDeclaredFields()) {
      if (Modifier.isPublic(f.getModifiers()) || Modifier.isProtected(f.getModifiers())) {
        types.add(f.getGenericType());
      }
    }
    return types;
  }

  private static boolean isVendor(String name) {
    return VENDOR_PACKAGES.stream().anyMatch(name::contains);
  }

  private static boolean isInternal(String pkg) {
    return pkg.endsWith(".internal") || pkg.contains(".internal.");
  }

  private static String packageOf(Path file) {
    try {
      Matcher m = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE)
          .matcher(Files.readString(file));
      return m.find() ? m.group(1) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private interface ImportVisitor {
    void visit(Path file, String module, String importedPackage);
  }

  private static void forEachImport(ImportVisitor visitor) {
    SOURCES.forEach((file, module) -> {
      try {
        Matcher m = IMPORT.matcher(Files.readString(file));
        while (m.find()) {
          visitor.visit(file, module, m.group(1));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}

package kr.codeb.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The library on a Maven repository layout: {@code mvn deploy} of the parent, the BOM,
 * codeb-docker and the modules its build needs (codeb-api, the test kits) to a file-system
 * repository, never into ~/.m2; the POMs every library module publishes (deployed here, or the
 * flattened POM the build made); and a user's project built offline against that repository.
 */
class PublishedLayoutIT {
  private static final List<String> DEPLOYED =
      List.of("codeb-parent", "codeb-bom", "codeb-api", "codeb-docker");
  /** Libraries that exist only for tests; only codeb-tck (JUnit contracts) may depend on them. */
  private static final List<String> TEST_ONLY_GROUPS = List.of("org.junit", "junit",
      "org.wiremock", "com.github.tomakehurst", "org.assertj", "org.mockito", "org.hamcrest");

  private static Path tmp;
  private static Path repo;
  private static Path local;
  private static Path settings;

  @BeforeAll
  static void deploy() throws Exception {
    tmp = Files.createTempDirectory(Path.of("/tmp"), "we-publish");
    repo = tmp.resolve("repo");
    local = tmp.resolve("local-repository");
    // The embedding build gets a local repository of its own, so CodeB's jars can only come
    // from the published layout; the machine's local repository stands in for Maven Central
    // there, as a file:// mirror.
    settings = Files.writeString(tmp.resolve("settings.xml"), """
        <settings>
          <localRepository>%s</localRepository>
          <mirrors><mirror><id>central-here</id><mirrorOf>central</mirrorOf>
            <url>%s</url></mirror></mirrors>
          <profiles><profile><id>codeb</id><repositories><repository>
            <id>codeb-published</id><url>%s</url><snapshots><enabled>true</enabled></snapshots>
          </repository></repositories></profile></profiles>
          <activeProfiles><activeProfile>codeb</activeProfile></activeProfiles>
        </settings>
        """.formatted(local, Path.of(System.getProperty("user.home"), ".m2/repository").toUri(),
        repo.toUri()));
    // The deploy uses the machine's local repository to resolve (a file:// mirror of it cannot
    // answer version ranges) but installs nothing there: maven.install.skip. Not offline: the
    // deploy plugin refuses to run offline; everything it needs is present already.
    maven(Archives.REPO_ROOT, tmp.resolve("deploy.log"), "-B", "-f",
        Archives.REPO_ROOT.resolve("pom.xml").toString(), "deploy", "-DskipTests",
        "-Dmaven.install.skip=true", "-DaltDeploymentRepository=codeb-published::" + repo.toUri(),
        // -am: with every module their build needs (also for their tests), whatever that is.
        "-pl", ".,codeb-bom,codeb-docker", "-am");
  }

  @AfterAll
  static void clean() {
    Archives.deleteTree(tmp);
  }

  private static void maven(Path dir, Path log, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(mvn());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(
            new File("/dev/null"))).start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("mvn still ran after 5 minutes: " + log);
    }
    if (p.exitValue() != 0) {
      List<String> lines = Files.readAllLines(log);
      throw new AssertionError("mvn " + String.join(" ", args) + " exited " + p.exitValue()
          + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 60),
          lines.size())));
    }
  }

  private static String mvn() {
    for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "mvn"))) {
        return Path.of(dir, "mvn").toString();
      }
    }
    throw new AssertionError("no mvn on the PATH");
  }

  /** The one file of an artifact in the layout ({@code classifier} "" for the main jar). */
  private static Path artifact(String id, String classifier, String extension) throws IOException {
    Path folder = repo.resolve("kr/codeb/" + id + "/" + Archives.VERSION);
    String suffix = (classifier.isEmpty() ? "" : "-" + classifier) + "." + extension;
    try (Stream<Path> files = Files.list(folder)) {
      List<Path> found = files.filter(p -> {
        String n = p.getFileName().toString();
        // A snapshot is stored under a timestamp: codeb-api-0.1.0-20261204.190542-1.jar
        return n.startsWith(id + "-") && n.endsWith(suffix) && (classifier.isEmpty()
            ? !n.substring(0, n.length() - suffix.length()).matches(".*-(sources|javadoc)")
            : true);
      }).toList();
      assertEquals(1, found.size(), id + " " + classifier + "." + extension + " in " + folder
          + ": " + found);
      return found.get(0);
    }
  }

  @Test
  void libraryJarsComeWithSourcesAndJavadoc() throws IOException {
    for (String id : List.of("codeb-api", "codeb-docker")) {
      assertTrue(Files.exists(repo.resolve("kr/codeb/" + id + "/" + Archives.VERSION
          + "/maven-metadata.xml")), id);
      try (ZipFile jar = new ZipFile(artifact(id, "", "jar").toFile());
          ZipFile sources = new ZipFile(artifact(id, "sources", "jar").toFile());
          ZipFile javadoc = new ZipFile(artifact(id, "javadoc", "jar").toFile())) {
        String type = id.equals("codeb-api") ? "kr/codeb/ProviderRegistry"
            : "kr/codeb/docker/DockerRuntimeFactory";
        assertNotNull(jar.getEntry(type + ".class"), id);
        assertNotNull(sources.getEntry(type + ".java"), id);
        // kr.codeb/kr/codeb/ProviderRegistry.html for a named module, else without the module
        assertTrue(javadoc.stream().anyMatch(e -> e.getName().endsWith(type + ".html")), id);
      }
    }
    artifact("codeb-bom", "", "pom");
  }

  @Test
  void publishedPomsCarryNoTestOnlyDependencyAndNoParent() throws Exception {
    Map<String, Document> poms = new TreeMap<>();
    for (String id : DEPLOYED) {
      poms.put(id, parse(artifact(id, "", "pom")));
    }
    // The other library modules: the flattened POM the same deploy publishes for them.
    try (Stream<Path> modules = Files.list(Archives.REPO_ROOT)) {
      for (Path module : modules.filter(m -> m.getFileName().toString().startsWith("codeb-"))
          .toList()) {
        Path flat = module.resolve(".flattened-pom.xml");
        String id = module.getFileName().toString();
        if (poms.containsKey(id) || id.equals("codeb-dist")) {
          continue;
        }
        Path deployed = repo.resolve("kr/codeb/" + id + "/" + Archives.VERSION);
        if (Files.isDirectory(deployed)) {
          poms.put(id, parse(artifact(id, "", "pom")));
        } else if (Files.exists(flat)) {
          poms.put(id, parse(flat));
        }
      }
    }
    assertTrue(poms.size() >= 12, "every library module's POM: " + poms.keySet());
    for (Map.Entry<String, Document> pom : poms.entrySet()) {
      String id = pom.getKey();
      Element project = pom.getValue().getDocumentElement();
      if (!id.equals("codeb-parent") && !id.equals("codeb-bom")) {
        assertTrue(children(project, "parent").isEmpty(), id + " needs no parent POM");
      }
      for (Element dep : dependencies(project)) {
        String scope = text(dep, "scope", "compile");
        String coordinates = text(dep, "groupId", "") + ":" + text(dep, "artifactId", "");
        assertFalse(scope.equals("test"), id + " publishes the test dependency " + coordinates);
        if (!id.equals("codeb-tck")) {
          assertFalse(TEST_ONLY_GROUPS.stream().anyMatch(g -> coordinates.startsWith(g + ":")
              || coordinates.startsWith(g + ".")), id + " depends on " + coordinates);
          assertFalse(coordinates.equals("kr.codeb:codeb-tck"), id + " depends on codeb-tck");
        }
      }
    }
  }

  @Test
  void codebApiBringsOnlySlf4jApi() throws Exception {
    Element api = parse(artifact("codeb-api", "", "pom")).getDocumentElement();
    List<String> deps = dependencies(api).stream().map(d -> text(d, "groupId", "") + ":"
        + text(d, "artifactId", "") + ":" + text(d, "scope", "compile")).toList();
    assertEquals(List.of("org.slf4j:slf4j-api:compile"), deps);
  }

  @Test
  void anEmbeddingProjectBuildsOfflineAgainstTheRepositoryAndRunsAnSsotCheck() throws Exception {
    Path project = tmp.resolve("embedding");
    copyTree(Archives.REPO_ROOT.resolve("examples/embedding"), project);
    maven(project, tmp.resolve("embedding.log"), "-B", "-o", "-Daether.offline.protocols=file",
        "-s", settings.toString(), "-Dcodeb.version=" + Archives.VERSION, "compile",
        "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath",
        "-Dmdep.outputFile=classpath.txt");

    String classPath = Files.readString(project.resolve("classpath.txt")).strip();
    List<String> jars = Stream.of(classPath.split(File.pathSeparator))
        .map(p -> Path.of(p).getFileName().toString()).toList();
    assertTrue(jars.contains("codeb-api-" + Archives.VERSION + ".jar"), jars.toString());
    assertTrue(jars.contains("codeb-docker-" + Archives.VERSION + ".jar"), jars.toString());
    assertFalse(jars.stream().anyMatch(j -> j.startsWith("codeb-ssot") || j.startsWith("junit")
        || j.startsWith("codeb-testkit")), "only what the two modules bring: " + jars);
    String origin = Files.readString(local.resolve("kr/codeb/codeb-api/" + Archives.VERSION
        + "/_remote.repositories"));
    assertTrue(origin.contains(">codeb-published="), "codeb-api from the published layout: "
        + origin);

    Shell.Result run = Shell.in(project, tmp).run(Duration.ofSeconds(60),
        Shell.JDK_BIN.resolve("java").toString(), "-cp",
        project.resolve("target/classes") + File.pathSeparator + classPath,
        "example.EmbeddedSsotCheck");
    run.expect(1);
    assertTrue(run.out().contains("finding owner-mismatch: port 4101 is worb's green port"),
        run.out());
    assertTrue(run.out().contains("container runtimes: [docker, ")
        && run.out().contains("docker+unix"), run.out());
    assertTrue(run.out().contains("docker adapter: docker"), run.out());
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path rel = from.relativize(p);
        if (rel.toString().startsWith("target")) {
          continue;
        }
        Path dest = to.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
        }
      }
    }
  }

  private static Document parse(Path pom) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    try (InputStream in = Files.newInputStream(pom)) {
      return f.newDocumentBuilder().parse(in);
    }
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node n = nodes.item(i);
      if (n instanceof Element e && e.getTagName().equals(name)) {
        found.add(e);
      }
    }
    return found;
  }

  /** The project's own dependencies (not dependencyManagement's). */
  private static List<Element> dependencies(Element project) {
    List<Element> deps = new ArrayList<>();
    for (Element list : children(project, "dependencies")) {
      deps.addAll(children(list, "dependency"));
    }
    return deps;
  }

  private static String text(Element e, String child, String otherwise) {
    List<Element> found = children(e, child);
    return found.isEmpty() ? otherwise : found.get(0).getTextContent().strip();
  }
}

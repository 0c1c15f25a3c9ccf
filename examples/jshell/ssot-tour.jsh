// A tour of the SSOT port registry from jshell.
// Run (after `mvn -q -DskipTests package`):
//   CODEB_SSOT=/tmp/ssot.json jshell --class-path "$(cat examples/target/classpath.txt)" examples/jshell/ssot-tour.jsh
// It opens the registry named by CODEB_SSOT (a copy of the seed's file, never the live one),
// checks it, allocates a project and prints what happened.
import kr.codeb.*;
import kr.codeb.model.*;
import kr.codeb.ports.*;

var location = System.getenv("CODEB_SSOT");
if (location == null) { System.err.println("set CODEB_SSOT to a copy of an ssot.json"); System.exit(2); }

var store = ProviderRegistry.load().ssotStore(location);
var ops = new PortOperations(store);
var registry = store.read();
System.out.println("registry " + store.info().location() + " version " + registry.version() + " revision " + registry.revision());
registry.portRanges().forEach((env, range) -> System.out.println("  range " + env + ": " + range));

System.out.println("check:");
ops.check().forEach(f -> System.out.println("  " + f.kind().id() + ": " + f.message()));

var project = ProjectName.of(System.getenv().getOrDefault("CODEB_PROJECT", "acme"));
var allocated = ops.allocate(project, Environment.of("production"));
System.out.println("allocated " + project + " production: blue " + allocated.ports().blue() + ", green " + allocated.ports().green() + (allocated.created() ? " (new)" : " (already held)"));
store.close();
/exit

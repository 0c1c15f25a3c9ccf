package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployLock;
import kr.codeb.deploy.DeployResult;
import kr.codeb.deploy.SlotReport;
import kr.codeb.deploy.SwitchResult;
import kr.codeb.domain.DomainEntry;
import kr.codeb.domain.DomainReport;
import kr.codeb.firewall.FirewallRule;
import kr.codeb.init.InitRequest;
import kr.codeb.init.InitResult;
import kr.codeb.init.StepPlan;
import kr.codeb.ports.Finding;
import kr.codeb.ports.Registry;
import kr.codeb.proxy.Route;

/**
 * The {@code --json} documents of the CLI, built by the CLI's own code, for a
 * {@link CliExtension} that answers with the same shapes ({@link CliServices#json()}).
 */
public final class CliJson {
  private final JsonOutput json;
  private final Session line;

  CliJson(JsonOutput json, Session line) {
    this.json = json;
    this.line = line;
  }

  public ObjectNode object() {
    return json.object();
  }

  public ObjectNode ssot(Registry registry) {
    return SsotShowCommand.json(json, registry);
  }

  public ArrayNode findings(List<Finding> findings) {
    return json.findings(findings);
  }

  public ObjectNode deploy(DeployResult result) {
    return new DeployJson(json).deploy(result);
  }

  public ObjectNode switched(SwitchResult result) {
    return new DeployJson(json).switched(result);
  }

  public ObjectNode slots(SlotReport report) {
    return new DeployJson(json).slots(report);
  }

  public ObjectNode lock(DeployKey key, Optional<DeployLock> lock) {
    return new DeployJson(json).lock(key, lock);
  }

  public ObjectNode key(DeployKey key) {
    return new DeployJson(json).key(key);
  }

  public ObjectNode routes(List<Route> routes) {
    return new DeployJson(json).routes(routes);
  }

  public ObjectNode domains(List<DomainEntry> entries) {
    return DomainCommand.listJson(json, entries);
  }

  public ObjectNode domainReport(DomainReport report, boolean planned) {
    return DomainCommand.reportJson(json, report, planned);
  }

  public ObjectNode initPlan(InitRequest request,
      List<StepPlan> plans) {
    return InitCommand.planJson(json, request, plans);
  }

  public ObjectNode initResult(InitRequest request,
      InitResult result, long millis) {
    return InitCommand.resultJson(json, request, result, millis);
  }

  public ObjectNode rule(FirewallRule rule) {
    return FirewallCommand.ruleJson(line, rule);
  }

  public String write(ObjectNode node) {
    return json.write(node);
  }
}

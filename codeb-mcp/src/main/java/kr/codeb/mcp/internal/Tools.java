package kr.codeb.mcp.internal;

import java.util.List;

/** Every tool of the server, in the order a client lists them. A new tool is one line here. */
final class Tools {
  private Tools() {}

  static List<CodeBTool> all() {
    return List.of(
        new SsotShowTool(), new SsotCheckTool(), new SsotAllocateTool(), new SsotReleaseTool(),
        new DeployTool(), new SlotStatusTool(), new PromoteTool(), new RollbackTool(),
        new HealthTool(), new RoutesTool(), new LogsTool(),
        new DomainAddTool(), new DomainRemoveTool(), new DomainListTool(),
        new FirewallListTool(), new FirewallAllowTool(), new FirewallRevokeTool(),
        new LockShowTool(), new LockBreakTool(),
        new EnvKeysTool(), new EnvSetTool(),
        new DoctorTool(), new InitPlanTool(), new InitApplyTool());
  }
}

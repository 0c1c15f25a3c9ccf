package kr.codeb.workflow;

/** Prints every variant (for reading them by eye: `java -cp ... PrintWorkflow`). */
final class PrintWorkflow {
  public static void main(String[] args) {
    WorkflowVariants.all().forEach((name, spec) -> {
      System.out.println("=== " + name);
      System.out.print(Workflows.generate(spec));
    });
  }
}

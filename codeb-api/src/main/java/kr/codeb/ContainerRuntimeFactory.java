package kr.codeb;

/** A {@link ProviderFactory} for {@link ContainerRuntime}, found through {@code ServiceLoader}. */
public interface ContainerRuntimeFactory extends ProviderFactory<ContainerRuntime> {}

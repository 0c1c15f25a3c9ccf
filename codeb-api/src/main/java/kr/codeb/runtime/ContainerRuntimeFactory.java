package kr.codeb.runtime;

import kr.codeb.ProviderFactory;

/** A {@link ProviderFactory} for {@link ContainerRuntime}, found through {@code ServiceLoader}. */
public interface ContainerRuntimeFactory extends ProviderFactory<ContainerRuntime> {}

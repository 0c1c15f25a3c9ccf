package kr.codeb.deploy;

import kr.codeb.ProviderFactory;

/**
 * Builds the {@link ReleaseStore} that lives beside an SSOT. Chosen by the scheme of the SSOT's
 * location ({@code file} keeps locks and history in a folder next to the file; {@code mem} in
 * this JVM), so a deploy's history is always found where its ports are.
 */
public interface ReleaseStoreFactory extends ProviderFactory<ReleaseStore> {}

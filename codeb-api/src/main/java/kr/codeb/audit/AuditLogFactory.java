package kr.codeb.audit;

import kr.codeb.ProviderFactory;

/**
 * A {@link ProviderFactory} for {@link AuditLog}, found through {@code ServiceLoader}: it is
 * given the URI of the SSOT whose audit log it opens (the same schemes as the SSOT stores).
 */
public interface AuditLogFactory extends ProviderFactory<AuditLog> {}

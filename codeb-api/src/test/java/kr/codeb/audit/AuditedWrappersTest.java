package kr.codeb.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kr.codeb.audit.internal.AuditedDns;
import kr.codeb.audit.internal.AuditedEnvFiles;
import kr.codeb.audit.internal.AuditedFirewall;
import kr.codeb.audit.internal.AuditedProxy;
import kr.codeb.audit.internal.AuditedRuntime;
import kr.codeb.dns.DnsProvider;
import kr.codeb.env.EnvFileStore;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.runtime.ContainerRuntime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each audited wrapper declares every method of its SPI, default methods included. A default
 * that a wrapper inherits would run the SPI's fallback instead of the wrapped provider's own
 * implementation (a streaming one-off run would lose its streaming, a zone deletion would be
 * refused as unsupported).
 */
class AuditedWrappersTest {
  static List<Class<?>[]> wrappers() {
    return List.of(
        new Class<?>[] {ContainerRuntime.class, AuditedRuntime.class},
        new Class<?>[] {ReverseProxy.class, AuditedProxy.class},
        new Class<?>[] {DnsProvider.class, AuditedDns.class},
        new Class<?>[] {FirewallProvider.class, AuditedFirewall.class},
        new Class<?>[] {EnvFileStore.class, AuditedEnvFiles.class});
  }

  @ParameterizedTest
  @MethodSource("wrappers")
  void everyMethodOfTheSpiIsDelegated(Class<?> spi, Class<?> wrapper) {
    List<String> inherited = new ArrayList<>();
    for (Method method : spi.getMethods()) {
      if (Modifier.isStatic(method.getModifiers()) || method.getDeclaringClass() == Object.class) {
        continue;
      }
      try {
        Method declared = wrapper.getMethod(method.getName(), method.getParameterTypes());
        if (declared.getDeclaringClass() != wrapper) {
          inherited.add(signature(method));
        }
      } catch (NoSuchMethodException e) {
        inherited.add(signature(method));
      }
    }
    assertEquals(List.of(), inherited, wrapper.getSimpleName() + " inherits these from "
        + spi.getSimpleName());
  }

  private static String signature(Method m) {
    return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).toList();
  }
}

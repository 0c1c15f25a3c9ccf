package kr.codeb.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kr.codeb.UnavailableException;
import kr.codeb.docker.DockerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes sure an engine has an image: looked up, else pulled with the registry's credentials. */
final class EngineImages {
  private static final Logger LOG = LoggerFactory.getLogger(EngineImages.class);
  private static final Duration PULL_WAIT = Duration.ofMinutes(15);

  private final DockerConfig config;
  private final EngineDialect dialect;
  private final String provider;
  private final Connector connector;

  EngineImages(DockerConfig config, EngineDialect dialect, Connector connector) {
    this.config = config;
    this.dialect = dialect;
    this.provider = dialect.provider();
    this.connector = connector;
  }

  void ensureLocal(String image) {
    try {
      CallDeadline.within(dialect, connector::where, "looking up image " + image,
          config.callTimeout(), () -> connector.client().inspectImageCmd(image).exec());
      return;
    } catch (com.github.dockerjava.api.exception.NotFoundException e) {
      // absent: pull it below
    } catch (UnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw Errors.map(e, "looking up image " + image, connector.where(), List.of(), dialect);
    }
    pull(image);
  }

  private void pull(String image) {
    ImageName name = ImageName.parse(image);
    Optional<RegistryAuth.Credentials> credentials = RegistryAuth.find(config, name.registry());
    List<String> secrets = new ArrayList<>();
    credentials.ifPresent(cr -> {
      cr.password().ifPresent(p -> secrets.add(p.reveal()));
      cr.identityToken().ifPresent(t -> secrets.add(t.reveal()));
    });
    LOG.info("pulling {} from {} ({})", image, name.registry(),
        credentials.map(cr -> "credentials from " + cr.source()).orElse("anonymously"));
    DockerClient c = connector.client();
    PullImageCmd cmd = c.pullImageCmd(name.repository()).withTag(name.pullTag());
    if (credentials.isPresent()) {
      cmd = cmd.withAuthConfig(authConfig(credentials.get()));
    }
    try {
      QuietCallback<PullResponseItem> progress = new QuietCallback<>() {
        @Override
        public void onNext(PullResponseItem item) {
          if (item.isErrorIndicated()) {
            String error = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                ? item.getErrorDetail().getMessage() : "the registry reported an error";
            onError(new DockerClientException(error));
          }
        }
      };
      cmd.exec(progress);
      if (!progress.await(PULL_WAIT, provider)) {
        throw new UnavailableException("pulling image " + image + " on " + provider + " at "
            + connector.where() + " took more than " + PULL_WAIT.toMinutes() + " minutes",
            provider, 0, null);
      }
    } catch (RuntimeException e) {
      throw Errors.map(e, "pulling image " + image + " ("
          + credentials.map(cr -> "with credentials from " + cr.source()).orElse("anonymously")
          + ")", connector.where(), secrets, dialect);
    }
  }

  private static AuthConfig authConfig(RegistryAuth.Credentials cr) {
    String address = cr.registry().equals(ImageName.HUB)
        ? "https://index.docker.io/v1/" : cr.registry();
    AuthConfig auth = new AuthConfig().withRegistryAddress(address);
    cr.user().ifPresent(auth::withUsername);
    cr.password().ifPresent(p -> auth.withPassword(p.reveal()));
    cr.identityToken().ifPresent(t -> auth.withIdentityToken(t.reveal()));
    return auth;
  }
}

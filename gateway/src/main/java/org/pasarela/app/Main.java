package org.pasarela.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.pasarela.config.ConfigException;
import org.pasarela.config.ConfigLoader;
import org.pasarela.config.LoadedConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar pasarela.jar [--config DIR] [--profiles DIR] [--set key=value ...]}, or
 * {@code java -jar pasarela.jar hash-password [--user NAME] [--cost N]} to make a password hash for the configuration.
 * Exit codes: 0 after a clean shutdown, 2 for a bad command line or configuration, 1 when a part cannot start.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length > 0 && HashPasswordCommand.NAME.equals(args[0])) {
            System.exit(HashPasswordCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length),
                    java.util.Optional.ofNullable(System.console()), System.in, System.out, System.err,
                    new java.security.SecureRandom()));
            return;
        }
        CommandLine commandLine;
        try {
            commandLine = CommandLine.parse(args);
        } catch (CommandLineException e) {
            System.err.println("pasarela: " + e.getMessage());
            System.err.println(CommandLine.usage());
            System.exit(2);
            return;
        }
        if (commandLine.help()) {
            System.out.println(CommandLine.usage());
            return;
        }
        // Before the first logger exists: the operator's logback.xml wins over the embedded one.
        Path logback = commandLine.configDir().resolve("logback.xml");
        if (System.getProperty("logback.configurationFile") == null && Files.isRegularFile(logback)) {
            System.setProperty("logback.configurationFile", logback.toAbsolutePath().toString());
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        LoadedConfig config;
        try {
            config = ConfigLoader.load(commandLine.configDir(), commandLine.profilesDir(), commandLine.overrides());
        } catch (ConfigException e) {
            System.err.println("pasarela: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(config, Clock.systemUTC());
        } catch (GatewayStartException e) {
            System.err.println("pasarela: cannot start: " + e.getMessage());
            log.debug("start failure", e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            gateway.close();
            stopped.countDown();
        }, "shutdown"));
        log.info("pasarela ready: ws://{}:{}/ws{}, SIP {}:{} ({}), media {} ports {}-{}, profiles {}",
                config.gateway().httpAddress(), gateway.httpPort(), gateway.httpsPort().isPresent()
                        ? ", wss://" + (config.web().httpsAddress().indexOf(':') >= 0 ? "[" + config.web().httpsAddress()
                        + "]" : config.web().httpsAddress()) + ":" + gateway.httpsPort().getAsInt() + "/ws" : "",
                config.gateway().sipAddress(),
                config.gateway().sipPort(), config.gateway().sipTransports(), config.gateway().mediaAddress(),
                config.gateway().rtpPortMin(), config.gateway().rtpPortMax(), config.profiles().keySet());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.weir.cli;

import picocli.CommandLine.Option;

/** {@code --server} and {@code --token} of the commands that talk to a running server. */
final class ServerClientOptions {
  @Option(
      names = "--server",
      paramLabel = "URL",
      defaultValue = "${env:WEIR_SERVER:-http://127.0.0.1:8080}",
      description = "The Weir server (default: $WEIR_SERVER or http://127.0.0.1:8080).")
  String server;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "API token (default: $WEIR_API_TOKEN).")
  String token;

  ApiClient client() {
    return new ApiClient(server, token);
  }
}

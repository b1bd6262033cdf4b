package dev.weir.cli;

import dev.weir.WeirException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "completion",
    description = "Print a completion script for bash or zsh (see docs/cli.md to install it).",
    footer = {
      "",
      "bash:  source <(weir completion bash)      (add it to ~/.bashrc)",
      "zsh:   source <(weir completion zsh)       (add it to ~/.zshrc)"
    })
final class CompletionCommand implements Callable<Integer> {
  static final List<String> SHELLS = List.of("bash", "zsh");

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
  String shell;

  @Override
  public Integer call() {
    if (!SHELLS.contains(shell)) {
      throw new WeirException(
          "cannot complete for shell '"
              + shell
              + "': weir completes "
              + String.join(", ", SHELLS)
              + " (e.g. `weir completion bash`)");
    }
    // picocli writes one bash script; under zsh it loads bashcompinit itself, so zsh gets the
    // same script and the completions stay in step with the commands.
    var out = spec.commandLine().getOut();
    out.print(AutoComplete.bash("weir", spec.root().commandLine()));
    out.flush();
    return 0;
  }
}

using System.CommandLine;

namespace Helpdesk.Monitoring.Cli;

/// <summary>
/// <c>helpdesk completion bash|zsh</c>: prints a completion script that asks helpdesk itself what may come next (its
/// [suggest] directive), so completion always matches the installed version. Install with
/// <c>helpdesk completion bash &gt; /etc/bash_completion.d/helpdesk</c>.
/// </summary>
internal static class CompletionCommand
{
    public static Command Create()
    {
        var shell = new Argument<string>("SHELL") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "Print a shell completion script for helpdesk") { shell };
        command.SetAction(p =>
        {
            Console.Write(p.GetValue(shell) == "zsh" ? Zsh : Bash);
            return 0;
        });
        return command;
    }

    private const string Bash = """
        # helpdesk completion for bash: source it, or put it in /etc/bash_completion.d/helpdesk.
        _helpdesk_complete() {
            local IFS=$'\n'
            COMPREPLY=( $(compgen -W "$("${COMP_WORDS[0]}" "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _helpdesk_complete helpdesk

        """;

    private const string Zsh = """
        # helpdesk completion for zsh: source it from .zshrc.
        _helpdesk_complete() {
            local -a candidates
            candidates=("${(@f)$(${words[1]} "[suggest:${#BUFFER}]" "$BUFFER" 2>/dev/null)}")
            compadd -a candidates
        }
        compdef _helpdesk_complete helpdesk

        """;
}

using System.CommandLine;
using System.Text.RegularExpressions;

namespace CrnnGan.Cli;

/// <summary>
/// The parse errors of a command line as the one-line messages crnngan prints: a mistyped command or option is named
/// once, with what was probably meant, instead of System.CommandLine's "Required command was not provided" and one
/// error per word that followed; and no message names a .NET type.
/// </summary>
internal static partial class ParseErrors
{
    public static IReadOnlyList<string> Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var unmatched = parse.UnmatchedTokens;
        var messages = new List<string>();
        for (int i = 0; i < unmatched.Count; i++)
        {
            string token = unmatched[i];
            bool isOption = token.StartsWith('-') && token.Length > 1 && !double.TryParse(token, out _);
            if (isOption)
                messages.Add($"unknown option '{token}'{For(command)}{DidYouMean(token, OptionNames(command))}");
            else if (i == 0 && command.Subcommands.Count > 0)
                messages.Add($"unknown command '{token}'{DidYouMean(token, command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}");
            else if (i == 0 || !unmatched[i - 1].StartsWith('-'))
                messages.Add($"unexpected argument '{token}'{For(command)}");
            // else: the value of the unknown option before it, already reported
            if (!isOption && i == 0 && command.Subcommands.Count > 0)
                break; // the rest belongs to the unknown command
        }

        foreach (var error in parse.Errors)
        {
            if (unmatched.Any(token => error.Message.Contains($"'{token}'", StringComparison.Ordinal)))
                continue;
            if (command is RootCommand && (unmatched.Count > 0 || messages.Count > 0) && error.SymbolResult is null or System.CommandLine.Parsing.CommandResult)
                continue; // "Required command was not provided": the unknown command above says more
            messages.Add(command is RootCommand && unmatched.Count == 0 && error.SymbolResult is System.CommandLine.Parsing.CommandResult
                ? $"no command given; the commands: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}"
                : WithoutTypeNames(error.Message));
        }
        return messages.Distinct().ToList();
    }

    private static string For(Command command) => command is RootCommand ? "" : $" for {command.Name}";

    private static IEnumerable<string> OptionNames(Command command) =>
        command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--"));

    /// <summary>"; did you mean X?" for the names closest to <paramref name="typed"/>, or nothing when none is close.</summary>
    public static string DidYouMean(string typed, IEnumerable<string> names)
    {
        string bare = typed.TrimStart('-');
        var close = names
            .Select(name => (Name: name, Distance: Typos.Distance(bare, name.TrimStart('-'))))
            .Where(c => c.Distance <= Math.Max(1, bare.Length / 3) || (bare.Length >= 3 && c.Name.TrimStart('-').StartsWith(bare, StringComparison.Ordinal)))
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .Distinct()
            .Take(3)
            .ToList();
        return close.Count == 0 ? "" : $"; did you mean {string.Join(" or ", close)}?";
    }

    /// <summary>A safety net for System.CommandLine's own conversion message, should an option ever lack our parser.</summary>
    private static string WithoutTypeNames(string message)
    {
        var match = CannotParse().Match(message);
        if (match.Success)
            return $"{match.Groups["symbol"].Value} cannot take '{match.Groups["value"].Value}'";
        return TypeName().Replace(message, "");
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (option|command) '(?<symbol>[^']*)'")]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"\s*(as )?(expected )?type '?System\.[^' ]*'?")]
    private static partial Regex TypeName();
}

/// <summary>How far apart two words are as typos: insertions, deletions, substitutions and swaps of two neighbours.</summary>
internal static class Typos
{
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        for (int j = 1; j <= b.Length; j++)
        {
            int cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
        return d[a.Length, b.Length];
    }
}

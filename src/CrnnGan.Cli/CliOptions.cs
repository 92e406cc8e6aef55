using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace CrnnGan.Cli;

/// <summary>
/// Options made to one convention: placeholders in capitals (<c>&lt;N&gt;</c>, <c>&lt;DIR&gt;</c>), defaults shown as
/// "[default: x]" (by System.CommandLine for a value, in the description where the default is not a value), and
/// numbers read here, so that a bad one is named with the option and its allowed range, never as a .NET type.
/// </summary>
internal static class CliOptions
{
    /// <summary>The text of a default that is not a plain value, in the style System.CommandLine shows plain ones.</summary>
    public static string Default(string text) => $"[default: {text}]";

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/> with a default.</summary>
    public static Option<int> Int(string name, string description, int min, int max, int defaultValue, string helpName = "N", params string[] aliases) =>
        new(name, aliases)
        {
            Description = description, HelpName = helpName, DefaultValueFactory = _ => defaultValue,
            CustomParser = result => (int)WholeNumber(result, name, min, max, int.MaxValue),
        };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, null when not given.</summary>
    public static Option<int?> OptionalInt(string name, string description, int min = int.MinValue, int max = int.MaxValue, string helpName = "N",
        params string[] aliases) =>
        new(name, aliases)
        {
            Description = description, HelpName = helpName,
            CustomParser = result => (int)WholeNumber(result, name, min, max, int.MaxValue),
        };

    /// <summary>A seed: a whole number from 0, null when not given.</summary>
    public static Option<long?> OptionalSeed(string name, string description, params string[] aliases) =>
        new(name, aliases)
        {
            Description = description, HelpName = "SEED",
            CustomParser = result => WholeNumber(result, name, 0, long.MaxValue, long.MaxValue),
        };

    /// <summary>A seed: a whole number from 0, with a default.</summary>
    public static Option<long> Seed(string name, string description, long defaultValue, params string[] aliases) =>
        new(name, aliases)
        {
            Description = description, HelpName = "SEED", DefaultValueFactory = _ => defaultValue,
            CustomParser = result => WholeNumber(result, name, 0, long.MaxValue, long.MaxValue),
        };

    /// <summary>A finite number (its range is checked where the command explains it), with a default.</summary>
    public static Option<double> Number(string name, string description, double defaultValue, string helpName) =>
        new(name)
        {
            Description = description, HelpName = helpName, DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                string token = Token(result);
                if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
                    return value;
                result.AddError($"{name} must be a number, got '{token}'");
                return 0;
            },
        };

    /// <summary>A finite number (its range is checked where the command explains it), null when not given.</summary>
    public static Option<double?> OptionalNumber(string name, string description, string helpName) =>
        new(name)
        {
            Description = description, HelpName = helpName,
            CustomParser = result =>
            {
                string token = Token(result);
                if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
                    return value;
                result.AddError($"{name} must be a number, got '{token}'");
                return null;
            },
        };

    /// <summary>
    /// The option's number. Out of range: "must be MIN to MAX" (or "at least MIN" / "at most MAX" where the other end is
    /// only the type's limit, <paramref name="typeMax"/>), which also covers numbers too long for the type.
    /// </summary>
    private static long WholeNumber(ArgumentResult result, string name, long min, long max, long typeMax)
    {
        string token = Token(result);
        bool isNumber = token.Length > 0 && token.TrimStart('-', '+').Length > 0 && token.TrimStart('-', '+').All(char.IsAsciiDigit)
                        && token.LastIndexOfAny(['-', '+']) <= 0;
        if (!isNumber)
        {
            result.AddError($"{name} must be a whole number, got '{token}'");
            return 0;
        }
        bool fits = long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value);
        if (fits && value >= min && value <= max)
            return value;
        bool tooLow = fits ? value < min : token.StartsWith('-');
        string range = max != typeMax || min < -typeMax ? $"{min} to {max}" : tooLow ? $"at least {min}" : $"at most {max}";
        result.AddError($"{name} must be {range}, got {token}");
        return 0;
    }

    private static string Token(ArgumentResult result) => result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
}

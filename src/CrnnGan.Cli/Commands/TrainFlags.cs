using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using CrnnGan.Cli.Output;
using CrnnGan.Training;

namespace CrnnGan.Cli.Commands;

/// <summary>
/// The options of <c>crnngan train</c>: the run's folder and settings file, the settings users change most as flags of
/// their own, and <c>--set</c> for every other key. Each setting flag stands for one key and goes on top of the preset.
/// </summary>
internal sealed class TrainFlags
{
    /// <summary>The flags that stand for a setting, with its key.</summary>
    private static readonly (string Flag, string Key)[] SettingFlags =
    [
        ("--data", "data.path"), ("--mode", "run.mode"), ("--tones-per-cell", "model.tones_per_cell"), ("--hidden", "model.hidden"),
        ("--batch", "optimisation.batch"), ("--length", "data.length"), ("--epochs", "run.epochs"),
        ("--pretrain-epochs", "run.pretrain_epochs"), ("--seed", "run.seed"), ("--threads", "run.threads"), ("--device", "run.device"),
        ("--condition", "data.condition"),
    ];

    /// <summary>The flag that sets <paramref name="key"/>, if it has one.</summary>
    public static string? FlagOf(string key) => SettingFlags.FirstOrDefault(f => f.Key == key).Flag;

    /// <summary>The default preset's settings, whose values the help shows in brackets.</summary>
    private static readonly TrainingConfig Defaults = Presets.Load(Presets.Default);

    private readonly Option<string?> _data = new("--data") { Description = $"Folder of MIDI files, searched recursively {CliOptions.Default("the built-in synthetic corpus, with preset demo")}", HelpName = "DIR" };
    private readonly Option<string?> _out = new("--out", "-o") { Description = $"Run folder: settings, checkpoints, statistics, samples {CliOptions.Default("runs/DATE-TIME")}", HelpName = "DIR" };
    private readonly Option<bool> _resume = new("--resume") { Description = "Continue the run in --out where its checkpoint left it; --epochs may extend it" };
    private readonly Option<string?> _preset = new("--preset")
    {
        Description = $"Where the settings start: a preset ({string.Join(", ", Presets.Names)}) or a settings file {CliOptions.Default($"{Presets.Default}, or {Presets.Demo} without --data")}",
        HelpName = "NAME|FILE",
    };
    private readonly Option<string[]> _set = new("--set")
    {
        Description = "Set any key of the settings (see a run's config.json), e.g. --set losses.fm_spread=1; repeatable",
        HelpName = "KEY=VALUE",
        Arity = ArgumentArity.OneOrMore,
    };
    private readonly Option<TrainingMode?> _mode = new("--mode")
    {
        Description = $"gan: pretraining, then adversarial; baseline: next-event prediction only {CliOptions.Default(SettingKeys.EnumName(Defaults.Run.Mode.ToString()))}",
        HelpName = "gan|baseline", CustomParser = ParseMode,
    };
    private readonly Option<int?> _tones = CliOptions.OptionalInt("--tones-per-cell", $"Tones per event: 1, or 3 for C-RNN-GAN-3 {CliOptions.Default($"{Defaults.Model.TonesPerCell}")}", 1);
    private readonly Option<int?> _hidden = CliOptions.OptionalInt("--hidden", $"LSTM units per layer in G and D {CliOptions.Default($"{Defaults.Model.Hidden}")}", 1);
    private readonly Option<int?> _batch = CliOptions.OptionalInt("--batch", $"Songs per batch {CliOptions.Default($"{Defaults.Optimisation.Batch}")}", 1);
    private readonly Option<int?> _length = CliOptions.OptionalInt("--length", $"Events per training window {CliOptions.Default($"{Defaults.Length}")}", 2, helpName: "EVENTS");
    private readonly Option<int?> _epochs = CliOptions.OptionalInt("--epochs", $"Total epochs, pretraining included {CliOptions.Default($"{Defaults.Run.Epochs}")}", 1, RunSettings.MaxEpochs);
    private readonly Option<int?> _pretrainEpochs = CliOptions.OptionalInt("--pretrain-epochs", $"Epochs of next-event pretraining of G {CliOptions.Default($"{Defaults.Run.PretrainEpochs}")}", 0, RunSettings.MaxEpochs);
    private readonly Option<int?> _seed = CliOptions.OptionalInt("--seed", $"Seed for weights, noise, shuffling and the data split {CliOptions.Default($"{Defaults.Seed}")}", 0, helpName: "SEED", aliases: ["-s"]);
    private readonly Option<int?> _threads = CliOptions.OptionalInt("--threads", $"CPU threads for tensor work {CliOptions.Default("all cores")}", 1, RunSettings.MaxThreads);
    private readonly Option<string?> _device = new("--device") { Description = "cpu: this build runs on the CPU only", HelpName = "cpu", Hidden = true, CustomParser = ParseDevice };
    private readonly Option<ConditionLabel?> _condition = new("--condition")
    {
        Description = $"Condition G and D on each song's composer or genre (none, composer, genre), read from the folders of --data (genre/composer/*.mid) " +
                      $"or from a CSV (--set data.labels_csv=FILE) {CliOptions.Default("none")}",
        HelpName = "LABEL", CustomParser = ParseCondition,
    };
    private readonly Option<string?> _tensorBoard = new("--tensorboard") { Description = "Also write each epoch's losses and statistics as TensorBoard event files here", HelpName = "DIR" };

    public IEnumerable<Option> All =>
        [_data, _out, _resume, _preset, _set, _mode, _tones, _hidden, _batch, _length, _epochs, _pretrainEpochs, _seed, _threads, _device, _condition, _tensorBoard];

    /// <summary>What the command line asks for.</summary>
    /// <param name="Assignments">The setting flags given, as key=value, then each --set in order.</param>
    public sealed record Given(string? Out, bool Resume, string? Preset, IReadOnlyList<string> Assignments, string? TensorBoard)
    {
        /// <summary>The flag a problem with <paramref name="key"/> is named by: its flag when the flag gave the value
        /// (and no --set after it), else none, and the key names it.</summary>
        public string? FlagFor(string key)
        {
            int last = Assignments.ToList().FindLastIndex(a => a.StartsWith(key + "=", StringComparison.Ordinal));
            return last >= 0 && last < FlagCount ? FlagOf(key) : null;
        }

        /// <summary>Whether the command line sets <paramref name="key"/> by name (a flag or --set), not through a preset.</summary>
        public bool Sets(string key) => Assignments.Any(a => a.StartsWith(key + "=", StringComparison.Ordinal));

        /// <summary>How many of <see cref="Assignments"/> come from setting flags (they come first).</summary>
        public int FlagCount { get; init; }
    }

    public Given Read(ParseResult parse)
    {
        if (parse.GetResult(_data) is { Implicit: false })
            OutputPaths.RequireNotEmpty(parse.GetValue(_data), "--data", "a folder of MIDI files");
        if (parse.GetResult(_out) is { Implicit: false })
            OutputPaths.RequireNotEmpty(parse.GetValue(_out), "--out", "a folder");
        if (parse.GetValue(_tensorBoard) is string tensorBoard)
            OutputPaths.RequireCreatableFolder(tensorBoard, "--tensorboard");
        var values = new (string Flag, object? Value)[]
        {
            ("--data", parse.GetValue(_data) is string path ? Path.GetFullPath(path) : null),
            ("--mode", parse.GetValue(_mode) is TrainingMode mode ? SettingKeys.EnumName(mode.ToString()) : null),
            ("--tones-per-cell", parse.GetValue(_tones)), ("--hidden", parse.GetValue(_hidden)), ("--batch", parse.GetValue(_batch)),
            ("--length", parse.GetValue(_length)), ("--epochs", parse.GetValue(_epochs)), ("--pretrain-epochs", parse.GetValue(_pretrainEpochs)),
            ("--seed", parse.GetValue(_seed)), ("--threads", parse.GetValue(_threads)), ("--device", parse.GetValue(_device)),
            ("--condition", parse.GetValue(_condition) is ConditionLabel condition ? SettingKeys.EnumName(condition.ToString()) : null),
        };
        var fromFlags = values
            .Where(v => v.Value is not null)
            .Select(v => $"{SettingFlags.Single(f => f.Flag == v.Flag).Key}={Json(v.Value!)}")
            .ToList();
        var assignments = fromFlags.Concat(parse.GetValue(_set) ?? []).ToList();
        return new Given(parse.GetValue(_out), parse.GetValue(_resume), parse.GetValue(_preset), assignments, parse.GetValue(_tensorBoard))
        {
            FlagCount = fromFlags.Count,
        };
    }

    /// <summary>A flag's value as a settings value: numbers as they are, text quoted (so a path never reads as a number).</summary>
    private static string Json(object value) => value switch
    {
        string text => System.Text.Json.JsonSerializer.Serialize(text),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    /// <summary>What a GPU user is told: this build cannot use one (docs/cli.md and the README say what to do).</summary>
    public const string CpuOnly = "this build runs on the CPU only (it uses TorchSharp-cpu; a GPU build needs TorchSharp-cuda in its place, " +
                                  "see the README on GPUs); leave --device out";

    private static string? ParseDevice(ArgumentResult result)
    {
        string token = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
        if (token == "cpu") return token;
        result.AddError(token.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) || token.Equals("gpu", StringComparison.OrdinalIgnoreCase)
            ? $"--device {token}: {CpuOnly}"
            : $"--device must be cpu, got '{token}'");
        return null;
    }

    private static ConditionLabel? ParseCondition(ArgumentResult result)
    {
        string token = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
        if (Enum.TryParse<ConditionLabel>(token, ignoreCase: true, out var condition) && !int.TryParse(token, out _)) return condition;
        result.AddError($"--condition must be none, composer or genre, got '{token}'");
        return null;
    }

    private static TrainingMode? ParseMode(ArgumentResult result)
    {
        string token = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
        switch (token.ToLowerInvariant())
        {
            case "gan": return TrainingMode.Gan;
            case "baseline": return TrainingMode.Baseline;
            default:
                result.AddError($"--mode must be gan or baseline, got '{token}'");
                return null;
        }
    }
}

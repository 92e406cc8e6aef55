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
    ];

    /// <summary>The flag that sets <paramref name="key"/>, if it has one.</summary>
    public static string? FlagOf(string key) => SettingFlags.FirstOrDefault(f => f.Key == key).Flag;

    /// <summary>The default preset's settings, whose values the help shows in brackets.</summary>
    private static readonly TrainingConfig Defaults = Presets.Load(Presets.Default);

    private readonly Option<string?> _data = new("--data") { Description = "Folder of MIDI files (searched recursively; genre/composer/*.mid). Default: the built-in synthetic corpus, with preset demo", HelpName = "DIR" };
    private readonly Option<string?> _out = new("--out") { Description = "Run folder for config.json, checkpoint.bin, stats.csv and samples/ (default: runs/<date-time>)", HelpName = "DIR" };
    private readonly Option<bool> _resume = new("--resume") { Description = "Continue the run in --out exactly where its checkpoint left it (its settings are kept; --epochs may extend it, --threads and optimisation.learning_rate may change)" };
    private readonly Option<string?> _preset = new("--preset")
    {
        Description = $"Where the settings start: a preset ({string.Join(", ", Presets.Names)}; default {Presets.Default}, or {Presets.Demo} without --data) or a settings file, such as a run's config.json to run it again",
        HelpName = "NAME|FILE",
    };
    private readonly Option<string[]> _set = new("--set")
    {
        Description = "Set any key of the settings, on top of the preset and the flags; repeatable. Example: --set losses.fm_spread=1 --set run.keep_by=worst (every key is in presets/crnngan.json and in a run's config.json)",
        HelpName = "KEY=VALUE",
        Arity = ArgumentArity.OneOrMore,
    };
    private readonly Option<TrainingMode?> _mode = new("--mode") { Description = "gan: pretraining then adversarial training; baseline: G trained only on next-event prediction", HelpName = "gan|baseline", CustomParser = ParseMode };
    private readonly Option<int?> _tones = new("--tones-per-cell") { Description = $"Tones per event: 1, or 3 for C-RNN-GAN-3 ({Defaults.Model.TonesPerCell})" };
    private readonly Option<int?> _hidden = new("--hidden") { Description = $"LSTM units per layer in G and D ({Defaults.Model.Hidden})" };
    private readonly Option<int?> _batch = new("--batch") { Description = $"Songs per batch ({Defaults.Optimisation.Batch})" };
    private readonly Option<int?> _length = new("--length") { Description = $"Events per training window ({Defaults.Length})" };
    private readonly Option<int?> _epochs = new("--epochs") { Description = $"Total epochs, pretraining included ({Defaults.Run.Epochs})" };
    private readonly Option<int?> _pretrainEpochs = new("--pretrain-epochs") { Description = $"Epochs of teacher-forced next-event pretraining of G ({Defaults.Run.PretrainEpochs})" };
    private readonly Option<int?> _seed = new("--seed") { Description = $"Seed for weights, noise, shuffling and (unless data.split_seed) the data split ({Defaults.Seed})" };
    private readonly Option<int?> _threads = new("--threads") { Description = "CPU threads for tensor work (default: all cores)" };
    private readonly Option<string?> _device = new("--device") { Description = "cpu or cuda (cuda needs TorchSharp-cuda)" };
    private readonly Option<string?> _tensorBoard = new("--tensorboard") { Description = "Also write the losses and mean statistics of every epoch as TensorBoard event files into this folder", HelpName = "DIR" };

    public IEnumerable<Option> All =>
        [_data, _out, _resume, _preset, _set, _mode, _tones, _hidden, _batch, _length, _epochs, _pretrainEpochs, _seed, _threads, _device, _tensorBoard];

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

        /// <summary>How many of <see cref="Assignments"/> come from setting flags (they come first).</summary>
        public int FlagCount { get; init; }
    }

    public Given Read(ParseResult parse)
    {
        if (parse.GetResult(_data) is { Implicit: false })
            OutputPaths.RequireNotEmpty(parse.GetValue(_data), "--data", "a folder of MIDI files");
        if (parse.GetResult(_out) is { Implicit: false })
            OutputPaths.RequireNotEmpty(parse.GetValue(_out), "--out", "a folder");
        var values = new (string Flag, object? Value)[]
        {
            ("--data", parse.GetValue(_data) is string path ? Path.GetFullPath(path) : null),
            ("--mode", parse.GetValue(_mode) is TrainingMode mode ? SettingKeys.EnumName(mode.ToString()) : null),
            ("--tones-per-cell", parse.GetValue(_tones)), ("--hidden", parse.GetValue(_hidden)), ("--batch", parse.GetValue(_batch)),
            ("--length", parse.GetValue(_length)), ("--epochs", parse.GetValue(_epochs)), ("--pretrain-epochs", parse.GetValue(_pretrainEpochs)),
            ("--seed", parse.GetValue(_seed)), ("--threads", parse.GetValue(_threads)), ("--device", parse.GetValue(_device)),
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

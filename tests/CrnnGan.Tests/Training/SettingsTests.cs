using System.Text.Json;
using System.Text.RegularExpressions;
using CrnnGan.Generation;
using CrnnGan.Training;

namespace CrnnGan.Tests.Training;

/// <summary>Settings as data: the shipped presets, key=value overrides, the messages for bad settings, older files.</summary>
public class SettingsTests
{
    internal static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, relative);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException(relative);
    }

    private static TrainingConfig Paper => new();

    /// <summary>docs/log/2026-11-24-paper-recipe-and-adam.md (and the logs of sessions 3-6 for what joined the recipe since): Adam with beta1 0.5, G
    /// 0.0002, D half that, pretraining 0.001, no L2, feature matching of batch means and of the spread between songs,
    /// G averaged (0.995), G says pitch classes, D sees song moments (x2) and G's time clamped at 0.</summary>
    private static TrainingConfig Crnngan => Paper with
    {
        Model = Paper.Model with { PitchClassHead = true, DiscriminatorSongMoments = 2, ClampGeneratedTime = true },
        Optimisation = Paper.Optimisation with
        {
            Adam = true, AdamBeta1 = 0.5, LearningRate = 0.0002, DiscriminatorLearningRateFactor = 0.5, PretrainLearningRate = 0.001,
            L2Scale = 0, AverageDecay = 0.995,
        },
        Losses = Paper.Losses with { FeatureMatching = true, FeatureMatchingOfMeans = true, FeatureSpreadWeight = 1 },
    };

    /// <summary>Old command-line flags of the commands in docs/RESULTS.md and docs/log/, as keys.</summary>
    /// <summary>The bundled model's recipe as one command in its log page (docs/log/2026-12-06-song-traits.md): its
    /// <c>--set</c> assignments on preset crnngan (where the data is and the threads are the machine's, not the recipe's).</summary>
    private static List<string> BundledRecipeFromResults()
    {
        string log = File.ReadAllText(RepositoryFile("docs/log/2026-12-08-line-traits.md"));
        var command = Regex.Match(log, @"crnngan train --preset crnngan (.*?)\n```", RegexOptions.Singleline);
        Assert.True(command.Success, "the log page should hold the recipe as one train command on preset crnngan");
        var tokens = command.Groups[1].Value.Replace("\\\n", " ").Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var settings = new List<string>();
        for (int i = 0; i < tokens.Length; i++)
        {
            if (tokens[i] is "--data" or "--threads" or "--out") { i++; continue; }
            Assert.Equal("--set", tokens[i]);
            settings.Add(tokens[++i]);
        }
        return settings;
    }

    [Fact]
    public void EachShippedPresetIsWhatDocsResultsSays()
    {
        Assert.Equal(["bundled-classical", "crnngan", "demo", "paper"], Presets.Names);
        Assert.Equal(Paper, Presets.Load("paper"));
        Assert.Equal((false, 0.1, 0.5, 0.1, false), (Paper.Optimisation.Adam, Paper.Optimisation.LearningRate,
            Paper.Optimisation.DiscriminatorLearningRateFactor, Paper.Optimisation.L2Scale, Paper.Losses.FeatureMatching)); // docs/log/2026-11-24-paper-recipe-and-adam.md
        Assert.Equal(Crnngan, Presets.Load("crnngan"));
        Assert.Equal(Crnngan, Presets.Load(Presets.Default));

        var recipe = BundledRecipeFromResults();
        Assert.Contains("model.chord_intervals=true", recipe);
        Assert.Contains("model.figure_memory=true", recipe);
        Assert.Contains("model.key_prior=1", recipe);
        Assert.Contains("model.song_line_traits=true", recipe);
        Assert.Equal(SettingOverrides.Apply(Crnngan, recipe), Presets.Load("bundled-classical"));
        foreach (string name in Presets.Names)
            Assert.Equal(Presets.Load(name), SettingsJson.Read(File.ReadAllText(RepositoryFile($"presets/{name}.json"))));
    }

    [Fact]
    public void TheBundledModelWasTrainedWithTheBundledPreset()
    {
        using var model = TrainedModel.Load(TrainedModel.BundledPath);
        var preset = Presets.Load("bundled-classical");
        // Where the data was and how many threads ran it are the machine's, not the recipe's (one and two threads train alike).
        Assert.Equal(preset, model.Config with { Data = model.Config.Data with { Path = null }, Run = model.Config.Run with { Threads = preset.Run.Threads } });
    }

    [Fact]
    public void SettingsRoundTripThroughJsonWithSnakeCaseKeys()
    {
        var config = Crnngan.With("run.keep_by=worst", "losses.g_loss=minimax", "run.threads=2", "data.path=/music/midi");
        string json = SettingsJson.Write(config);
        Assert.Contains("\"fm_spread\": 1", json);
        Assert.Contains("\"keep_by\": \"worst\"", json);
        Assert.Contains("\"g_loss\": \"minimax\"", json);
        Assert.Equal(config, SettingsJson.Read(json));
        Assert.Equal("/music/midi", config.Data.Path);
    }

    [Fact]
    public void AFileMayLeaveKeysOutAndTheyKeepThePapersValues()
    {
        var config = SettingsJson.Read("""{"model": {"hidden": 64}}""");
        Assert.Equal(Paper with { Model = Paper.Model with { Hidden = 64 } }, config);
    }

    [Theory]
    [InlineData("losses.fm_sprad=1", "losses.fm_sprad is not a setting; losses has feature_matching, fm_means, fm_spread, g_loss, song_feature_mmd, pretrain_samples, adversarial_next_event")]
    [InlineData("lossess.fm_spread=1", "lossess.fm_spread is not a setting; settings are group.name, the groups model, optimisation, losses, data, run")]
    [InlineData("model.hidden=lots", "model.hidden must be a whole number, got \"lots\"")]
    [InlineData("model.hidden=1.5", "model.hidden must be a whole number, got 1.5")]
    [InlineData("optimisation.adam=yes", "optimisation.adam must be true or false, got \"yes\"")]
    [InlineData("run.keep_by=best", "run.keep_by must be one of mean, worst, realism, got \"best\"")]
    [InlineData("run.threads=some", "run.threads must be a whole number or null, got \"some\"")]
    [InlineData("model.hidden=0", "model.hidden must be at least 1, got 0")]
    [InlineData("model.hidden=9000", "model.hidden must be at most 8192, got 9000")]
    [InlineData("optimisation.average_decay=1", "optimisation.average_decay must be at least 0 and below 1, got 1")]
    [InlineData("run.threads=0", "run.threads must be 1 to 1024, got 0")]
    [InlineData("model.hidden", "model.hidden is not key=value (for example losses.fm_spread=1)")]
    public void AnUnknownKeyAWrongTypeOrAnOutOfRangeValueIsRefusedNamingTheKey(string assignment, string message)
    {
        var error = Assert.Throws<SettingException>(() => Presets.Resolve(null, [assignment]));
        Assert.Equal(message, error.Message);
        Assert.Equal(assignment.Split('=')[0], error.Key);
    }

    [Fact]
    public void WithoutAPresetARunOnTheSyntheticCorpusIsTheDemoAndARunOnMidiFilesIsCrnngan()
    {
        var demo = Presets.Load(Presets.Demo);
        Assert.Null(demo.Data.Path);
        Assert.Equal(demo, Presets.Resolve(null, []));
        Assert.Equal(demo with { Model = demo.Model with { Hidden = 8 } }, Presets.Resolve(null, ["model.hidden=8"]));
        Assert.Equal(Crnngan with { Data = Crnngan.Data with { Path = "/music" } }, Presets.Resolve(null, ["data.path=\"/music\""]));
        Assert.Equal(Crnngan, Presets.Resolve(Presets.Default, []));
        // The demo is small, reaches its full length early and trains on enough songs to show learning in minutes.
        Assert.True(demo.Model.Hidden < Crnngan.Model.Hidden);
        Assert.True(demo.LengthAt(demo.Run.PretrainEpochs - 1) == demo.Length);
        Assert.True(demo.Data.SyntheticSongs > Crnngan.Data.SyntheticSongs);
    }

    [Fact]
    public void ASettingsFileWithAnUnknownKeyIsRefusedNamingTheFileAndTheKey()
    {
        string file = Path.Combine(TinyRuns.NewFolder() + ".json");
        File.WriteAllText(file, """{"model": {"hidden": 64, "d_song_ranges": 1}}""");
        var error = Assert.Throws<ArgumentException>(() => Presets.Load(file));
        Assert.StartsWith($"{file}: model.d_song_ranges is not a setting; model has tones_per_cell, hidden, ", error.Message);
    }

    [Fact]
    public void TheFlatSettingsOfOlderFilesAreReadAndConverted()
    {
        var old = SettingsJson.Read("""
            {"Mode": "Baseline", "Hidden": 64, "FeatureMatching": true, "FeatureSpreadWeight": 1, "FeatureMatchingOfMeans": true,
             "LearningRateDecayEpoch": 9, "KeepBy": "Worst", "DataPath": "/music", "DataSplitSeed": 3, "SplitSeed": 3, "RealLabel": 1}
            """);
        Assert.Equal((TrainingMode.Baseline, 64, 1.0, 10, BestEpochMeasure.Worst, "/music", 3),
            (old.Mode, old.Model.Hidden, old.Losses.FeatureSpreadWeight, old.Optimisation.LearningRateDecayEpoch, old.Run.KeepBy, old.Data.Path,
             old.Data.SplitSeed));
        // The decay epoch was stored 0-based: the same epochs decay.
        Assert.Equal(old.LearningRateAt(8), old.Optimisation.LearningRate);
        Assert.True(old.LearningRateAt(9) < old.Optimisation.LearningRate);
    }

    [Theory]
    [InlineData("\"TransposeToC\": true", "--transpose-to-c")]
    [InlineData("\"DiscriminatorSongRanges\": 1.5", "--d-song-ranges")]
    [InlineData("\"DiscriminatorLogLengths\": true", "--d-log-lengths")]
    [InlineData("\"RealLabel\": 0.9", "--real-label")]
    public void AnOlderFileThatUsedARetiredSettingNamesItAndTheTag(string setting, string flag)
    {
        var error = Assert.Throws<RetiredSettingException>(() => SettingsJson.Read($$"""{"Hidden": 64, {{setting}}}"""));
        Assert.Contains(flag, error.Message);
        Assert.Contains("git tag pre-settings-as-data", error.Message);
    }

    /// <summary>A setting removed since settings became data: files that hold it off (written while it existed) still
    /// read; settings that use it are refused, naming it and the tag that has it.</summary>
    [Fact]
    public void ASettingRemovedLaterReadsWhereItIsOffAndIsRefusedWhereItIsUsed()
    {
        var off = SettingsJson.Read("""{"model": {"hidden": 64, "length_after_pitch": false}}""");
        Assert.Equal(64, off.Model.Hidden);
        var error = Assert.Throws<RetiredSettingException>(() => SettingsJson.Read("""{"model": {"hidden": 64, "length_after_pitch": true}}"""));
        Assert.Contains("model.length_after_pitch", error.Message);
        Assert.Contains("git tag length-after-pitch-2026-12-06", error.Message);
        // Asked for by --set (a command copied from the log), it is refused naming the tag too.
        var asked = Assert.Throws<SettingException>(() => Paper.With("model.register_prior=0.5"));
        Assert.Equal("model.register_prior", asked.Key);
        Assert.Contains("git tag register-prior-2026-12-08", asked.Message);
    }

    [Fact]
    public void EverySettingHasAKeyAndTheKeysAreUnique()
    {
        Assert.Equal(SettingKeys.All.Count, SettingKeys.All.Select(k => k.Key).Distinct().Count());
        var tree = JsonDocument.Parse(SettingsJson.Write(Paper)).RootElement;
        int written = tree.EnumerateObject().Sum(group => group.Value.EnumerateObject().Count());
        Assert.Equal(SettingKeys.All.Count, written);
    }
}

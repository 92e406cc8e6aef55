using CrnnGan.Data;
using CrnnGan.Training;

namespace CrnnGan.Tests.Training;

/// <summary>Small, fast settings and data for training tests.</summary>
internal static class TinyRuns
{
    /// <summary>The paper's settings, small: hidden 16, batch 5, windows of 16 events, feature matching, seed 7, one thread.</summary>
    public static TrainingConfig Config(int epochs = 2, int pretrainEpochs = 1) => new()
    {
        Model = new ModelSettings { Hidden = 16 },
        Optimisation = new OptimisationSettings { Batch = 5 },
        Losses = new LossSettings { FeatureMatching = true },
        Data = new DataSettings { Length = 16 },
        Run = new RunSettings { Epochs = epochs, PretrainEpochs = pretrainEpochs, CurriculumStep = 0, Seed = 7, Threads = 1 },
    };

    /// <summary><paramref name="config"/> with settings changed as key=value, as <c>train --set</c> does.</summary>
    public static TrainingConfig With(this TrainingConfig config, params string[] settings) => SettingOverrides.Apply(config, settings);

    public static TrainingData Data(TrainingConfig config, FeatureScaling? scaling = null)
    {
        var songs = SyntheticCorpus.Generate(30, seed: 11);
        return TrainingData.FromSongs("synthetic", songs.Take(25).ToList(), songs.Skip(25).ToList(), config.TonesPerCell, config.Length, scaling);
    }

    /// <summary>A fresh folder path under the temp folder, deleted when the test process exits.</summary>
    public static string NewFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "crnngan-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        };
        return folder;
    }
}

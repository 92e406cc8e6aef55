using CrnnGan.Data;
using CrnnGan.Training;

namespace CrnnGan.Tests.Training;

/// <summary>Small, fast settings and data for training tests.</summary>
internal static class TinyRuns
{
    public static TrainingConfig Config(int epochs = 2, int pretrainEpochs = 1) => new()
    {
        Hidden = 16,
        Batch = 5,
        Length = 16,
        Epochs = epochs,
        PretrainEpochs = pretrainEpochs,
        CurriculumStep = 0,
        FeatureMatching = true,
        Seed = 7,
        Threads = 1,
    };

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

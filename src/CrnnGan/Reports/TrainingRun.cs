using System.Text.Json;
using CrnnGan.Evaluation;
using CrnnGan.Training;

namespace CrnnGan.Reports;

/// <summary>A run folder as the reports read it: stats.csv, and where present reference_stats.json and config.json.</summary>
public sealed record TrainingRun(string Folder, string Name, IReadOnlyList<EpochRecord> Records, ReferenceStatistics? Reference, TrainingConfig? Config)
{
    public RunSeries Series => new(Name, Records, Reference);

    /// <exception cref="FileNotFoundException">The folder holds no stats.csv.</exception>
    /// <exception cref="InvalidDataException">A file of the run cannot be read.</exception>
    public static TrainingRun Load(string folder)
    {
        string full = Path.GetFullPath(folder);
        string stats = Path.Combine(full, RunFolderLayout.StatsFileName);
        if (!File.Exists(stats))
            throw new FileNotFoundException($"{folder}: not a run folder (no {RunFolderLayout.StatsFileName})", stats);
        var reference = ReferenceStatistics.Load(Path.Combine(full, ReferenceStatistics.FileName));
        return new TrainingRun(full, Path.GetFileName(full), StatsCsvReader.Read(stats), reference, ReadConfig(full));
    }

    public EpochRecord? LastEpoch => Records.Count == 0 ? null : Records.MaxBy(r => r.Epoch);

    private static TrainingConfig? ReadConfig(string folder)
    {
        string path = Path.Combine(folder, RunFolderLayout.ConfigFileName);
        if (!File.Exists(path)) return null;
        try
        {
            return SettingsJson.Read(File.ReadAllText(path));
        }
        catch (Exception e) when (e is JsonException or SettingException)
        {
            throw new InvalidDataException($"{path}: not a valid run configuration: {e.Message}", e);
        }
        catch (RetiredSettingException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }
}

/// <summary>The two pictures of a run: Figure 3 and the losses.</summary>
public static class RunPlots
{
    public const string Figure3FileName = "figure3.png";
    public const string LossesFileName = "losses.png";

    /// <summary>Writes <c>{prefix}figure3.png</c> and <c>{prefix}losses.png</c> into <paramref name="folder"/> (atomically) and returns their paths.</summary>
    public static IReadOnlyList<string> Write(string folder, RunSeries run, string prefix = "")
    {
        string figure3 = Path.Combine(folder, prefix + Figure3FileName);
        string losses = Path.Combine(folder, prefix + LossesFileName);
        Figure3Chart.Save(figure3, run);
        LossChart.Save(losses, run);
        return [figure3, losses];
    }

    /// <summary>Why charts will have no text, or null when they will (see <see cref="ChartStyle.FontProblem"/>).</summary>
    public static string? FontProblem()
    {
        ChartStyle.EnsureFonts();
        return ChartStyle.FontProblem;
    }
}

using CrnnGan.Reports;

namespace CrnnGan.Cli.Output;

public static class RunFolders
{
    /// <summary>The runs, named by their folders; runs whose folders share a name get their parent folder's name too.</summary>
    /// <exception cref="UsageException">A path is not a run folder.</exception>
    public static IReadOnlyList<TrainingRun> Load(IReadOnlyList<string> folders)
    {
        var runs = new List<TrainingRun>();
        foreach (string folder in folders)
        {
            if (!Directory.Exists(folder)) throw new UsageException($"{folder}: no such run folder");
            try
            {
                runs.Add(TrainingRun.Load(folder));
            }
            catch (FileNotFoundException e)
            {
                throw new UsageException(e.Message);
            }
        }
        var clashing = runs.GroupBy(r => r.Name).Where(g => g.Count() > 1).SelectMany(g => g).ToHashSet();
        return runs.Select(r => clashing.Contains(r)
            ? r with { Name = $"{Path.GetFileName(Path.GetDirectoryName(r.Folder))}-{r.Name}" }
            : r).ToList();
    }
}

using CrnnGan.Evaluation;

namespace CrnnGan.Training;

/// <summary>The real-music reference of a run: its training songs, decoded exactly as G's samples are.</summary>
public static class TrainingReference
{
    /// <summary>Statistics of the training songs cut into windows of <paramref name="eventsPerWindow"/> events
    /// (the length of G's samples), unscaled with the run's own scaling.</summary>
    public static ReferenceStatistics Compute(TrainingData data, int eventsPerWindow)
    {
        var songs = data.Train.Select(scaled => data.Scaling.Unscale(scaled, data.TonesPerCell)).ToList();
        return ReferenceStatistics.FromEncoded(data.Description, songs, eventsPerWindow);
    }
}

using CrnnGan.Training;

namespace CrnnGan.Cli.Output;

/// <summary>The one line a training run prints about its settings; the run's config.json holds them all.</summary>
public static class TrainingSummary
{
    public static string Describe(TrainingConfig config)
    {
        var (model, optimisation, losses) = (config.Model, config.Optimisation, config.Losses);
        var parts = new List<string>
        {
            $"model: {SettingKeys.EnumName(config.Mode.ToString())}, {Counted.Of(config.TonesPerCell, "tone")} per event, hidden {model.Hidden} x {model.Layers} layers, " +
            $"{(model.UnidirectionalDiscriminator ? "unidirectional" : "bidirectional")} D",
            (losses.FeatureMatching ? losses.FeatureMatchingOfMeans ? "feature matching of means" : "feature matching" : "adversarial G loss") +
            (losses.FeatureSpreadWeight > 0 ? $" and spreads (x{losses.FeatureSpreadWeight})" : ""),
            $"L2 {optimisation.L2Scale}, freezing {(optimisation.Freezing ? "on" : "off")}",
        };
        if (optimisation.AverageDecay > 0) parts.Add($"G averaged ({optimisation.AverageDecay})");
        if (model.SongNoise > 0) parts.Add($"{model.SongNoise} noise values per song");
        if (model.DiscriminatorSongMoments > 0) parts.Add($"D sees song moments (x{model.DiscriminatorSongMoments})");
        if (model.DiscriminatorSongLags > 0) parts.Add($"D sees song lags (x{model.DiscriminatorSongLags})");
        if (model.SongVelocity) parts.Add($"G writes song velocities{(model.FixedVelocitySpread ? " (spread fixed)" : "")}");
        if (model.PitchClassHead) parts.Add("G says pitch classes");
        var chosen = new List<string>();
        if (model.PitchChoice) chosen.Add("pitch");
        if (model.TimeChoice > 0) chosen.Add($"time (grid {model.TimeChoice} ticks)");
        if (model.LengthChoice > 0) chosen.Add($"length (grid {model.LengthChoice} ticks)");
        if (model.VelocityChoice) chosen.Add("velocity");
        if (chosen.Count > 0) parts.Add($"G chooses {string.Join(", ", chosen)}");
        if (model.PitchLookback > 0) parts.Add($"G reads back the pitches of {model.PitchLookback} events before the previous");
        if (model.PitchIntervals > 0) parts.Add($"G scores intervals up to {model.PitchIntervals} semitones from the {(model.PitchIntervalLags == 1 ? "previous pitch" : $"{model.PitchIntervalLags} previous pitches")}{(model.ChordIntervals ? ", apart for chords" : "")}");
        if (model.PitchClassMemory) parts.Add("G scores pitches by how much their class has sounded");
        if (model.FigureMemory) parts.Add("G scores pitches by what came after its last pitches before");
        if (model.KeyPrior > 0) parts.Add($"G's pitch scores lean to the song's key (weight {model.KeyPrior.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
        if (model.BarPositions) parts.Add("G reads and scores where in the bar its onsets fall");
        if (model.SongTraits) parts.Add($"G reads each song's traits{(model.SongLineTraits ? ", top line's moves" : "")}{(model.SongKeyTraits ? " and key" : "")} (drawn from training windows when free running)");
        if (model.ClampGeneratedTime) parts.Add("D sees G's time clamped at 0");
        parts.Add($"{(optimisation.Adam ? "Adam" : "SGD")} lr {optimisation.LearningRate}, batch {optimisation.Batch}, length {config.Length}, " +
                  $"epochs {config.Run.Epochs} ({config.Run.PretrainEpochs} pretraining)");
        return string.Join(", ", parts);
    }
}

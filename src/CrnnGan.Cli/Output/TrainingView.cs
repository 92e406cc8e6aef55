using System.Diagnostics;
using CrnnGan.Training;
using Spectre.Console;

namespace CrnnGan.Cli.Output;

/// <summary>
/// Shows a training run: on a terminal, a progress bar per epoch whose line keeps the epoch's summary;
/// elsewhere (logs, pipes), a line every 30 seconds and one per epoch.
/// </summary>
public sealed class TrainingView(IAnsiConsole console, GanTrainer trainer)
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(30);

    private readonly RemainingTime _remaining = new(trainer.Config);
    private readonly Stopwatch _sinceEpoch = Stopwatch.StartNew();

    public TrainingOutcome Run(CancellationToken cancel) =>
        console.Profile.Capabilities.Interactive ? RunWithBars(cancel) : RunWithLines(cancel);

    /// <summary>The epoch's summary line, ending with the time the run has left.</summary>
    private string Finished(EpochRecord record)
    {
        _remaining.Add(record, _sinceEpoch.Elapsed);
        _sinceEpoch.Restart();
        string left = record.Epoch >= trainer.Config.Run.Epochs ? "" : _remaining.After(record.Epoch) is TimeSpan t ? $" | run left {Format(t)}" : "";
        return Summary(record) + left;
    }

    private TrainingOutcome RunWithBars(CancellationToken cancel) =>
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .Start(context =>
            {
                ProgressTask? task = null;
                var progress = new CallbackProgress<TrainingProgress>(p =>
                {
                    if (task is null || task.IsFinished)
                        task = context.AddTask(Markup.Escape(Header(p)), maxValue: Math.Max(1, p.Batches));
                    task.Value = p.Batch;
                    task.Description = Markup.Escape($"{Header(p)} {Losses(p)} | {p.EventsPerSecond:F0} ev/s{Left(p)}");
                });
                trainer.EpochCompleted += record =>
                {
                    if (task is null) return;
                    task.Description = Markup.Escape(Finished(record));
                    task.Value = task.MaxValue;
                    task.StopTask();
                };
                return trainer.Run(progress, cancel);
            });

    private TrainingOutcome RunWithLines(CancellationToken cancel)
    {
        var sinceLog = Stopwatch.StartNew();
        var progress = new CallbackProgress<TrainingProgress>(p =>
        {
            if (sinceLog.Elapsed < LogInterval) return;
            sinceLog.Restart();
            console.WriteLine($"{Header(p)} batch {p.Batch}/{p.Batches} {Losses(p)} | {p.EventsPerSecond:F0} ev/s{Left(p)}");
        });
        trainer.EpochCompleted += record => console.WriteLine(Finished(record));
        return trainer.Run(progress, cancel);
    }

    /// <summary>The time left during an epoch, by the same estimate as the epoch lines'.</summary>
    private string Left(TrainingProgress p) => _remaining.During(p) is TimeSpan t ? $" | left {Format(t)}" : "";

    private static string Header(TrainingProgress p) => $"epoch {p.Epoch}/{p.Epochs} {StatsCsv.PhaseName(p.Phase)} len {p.Length}";

    private static string Losses(TrainingProgress p) => p.Phase == TrainingPhase.Pretraining
        ? $"mse {p.MseLoss:F4}"
        : $"G {p.GeneratorLoss:F3} D {p.DiscriminatorLoss:F3} frozen D {p.DiscriminatorFrozen} G {p.GeneratorFrozen}";

    /// <summary>", next pitch 24%": how often G, teacher forced over the validation songs, guesses the next pitch.</summary>
    private static string NextPitch(EpochRecord r) => double.IsNaN(r.ValidationNextPitch) ? "" : $", next pitch {r.ValidationNextPitch * 100:F0}%";

    private static string Summary(EpochRecord r)
    {
        string losses = r.Phase == TrainingPhase.Pretraining
            ? $"mse {r.MseLoss:F4} val {r.ValidationMse:F4}{NextPitch(r)}"
            : $"G {r.GeneratorLoss:F3} D {r.DiscriminatorLoss:F3}{(double.IsNaN(r.FeatureMatchingLoss) ? "" : $" FM {r.FeatureMatchingLoss:F3}")} " +
              $"val mse {r.ValidationMse:F4}{NextPitch(r)} frozen D {r.DiscriminatorFrozen} G {r.GeneratorFrozen}";
        string Stat(string name, string format, double scale = 1) =>
            r.Statistics.TryGetValue(name, out double v) ? (v * scale).ToString(format) : "-";
        return $"epoch {r.Epoch} {StatsCsv.PhaseName(r.Phase)} len {r.Length}: {losses} | span {Stat("tone_span", "F1")} " +
               $"unique {Stat("unique_tones", "F1")} scale {Stat("scale_consistency", "F0", 100)}% poly {Stat("polyphony", "F0", 100)}% " +
               $"{(double.IsNaN(r.ValidationOverlap) ? "" : $"overlap {r.ValidationOverlap:F3} ")}" +
               $"{(double.IsNaN(r.ValidationRealism) ? "" : $"classifier {r.ValidationRealism:F3} ")}| {r.Seconds:F0} s, {r.EventsPerSecond:F0} ev/s";
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : $"{t.Minutes}m{t.Seconds:D2}s";
}

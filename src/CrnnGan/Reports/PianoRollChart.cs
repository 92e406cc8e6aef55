using CrnnGan.Evaluation;
using CrnnGan.IO;
using CrnnGan.Midi;
using ScottPlot;

namespace CrnnGan.Reports;

/// <summary>
/// A song as a piano roll: time in quarter notes across, MIDI pitch up with every C labelled (C4 = pitch 60, middle C)
/// and an octave line under it, black-key rows faintly shaded, and each note coloured by velocity (darker = louder).
/// </summary>
public static class PianoRollChart
{
    public const int DefaultHeight = 600;
    private const int MinWidth = 1000;
    private const int MaxWidth = 2400;
    private const double PixelsPerQuarter = 24;

    public static void Save(string path, string title, IReadOnlyList<Note> notes, int ticksPerQuarter) =>
        AtomicFile.WriteAllBytes(path, Render(title, notes, ticksPerQuarter));

    /// <summary>PNG bytes; the width grows with the song's length from <see cref="MinWidth"/> to <see cref="MaxWidth"/> pixels.</summary>
    public static byte[] Render(string title, IReadOnlyList<Note> notes, int ticksPerQuarter, int? width = null, int height = DefaultHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ticksPerQuarter, 1);
        ChartStyle.EnsureFonts();
        double quarters = notes.Count == 0 ? 4 : Math.Max(1, notes.Max(n => n.EndTick) / (double)ticksPerQuarter);
        int lowest = notes.Count == 0 ? 60 : notes.Min(n => n.Pitch);
        int highest = notes.Count == 0 ? 72 : notes.Max(n => n.Pitch);
        // At least an octave and a half of rows, with a little room above and below the notes.
        int extra = Math.Max(0, 18 - (highest - lowest)) / 2;
        double bottom = Math.Max(-0.5, lowest - 2 - extra - 0.5), top = Math.Min(127.5, highest + 2 + extra + 0.5);

        var plot = new Plot();
        plot.Title(notes.Count == 0 ? $"{title}: no notes" : $"{title}: {notes.Count} notes", size: 18);
        plot.XLabel("time (quarter notes)");
        plot.YLabel("pitch");
        ShadeBlackKeys(plot, bottom, top);
        AddOctaveLines(plot, bottom, top);
        var velocity = new VelocityScale();
        foreach (var note in notes)
        {
            double start = note.StartTick / (double)ticksPerQuarter;
            double end = Math.Max(note.EndTick / (double)ticksPerQuarter, start + 0.05);
            var box = plot.Add.Rectangle(start, end, note.Pitch - 0.42, note.Pitch + 0.42);
            box.FillColor = velocity.ColorOf(note.Velocity);
            box.LineWidth = 0.5f;
            box.LineColor = Colors.Black.WithAlpha(0.5);
        }
        var colorBar = plot.Add.ColorBar(velocity);
        colorBar.Label = "velocity (darker = louder)";
        plot.Axes.SetLimits(0, quarters * 1.01, bottom, top);
        plot.HideLegend();
        return ChartStyle.Png(plot, width ?? (int)Math.Clamp(200 + quarters * PixelsPerQuarter, MinWidth, MaxWidth), height);
    }

    public static string PitchName(int pitch) =>
        new[] { "C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B" }[pitch % 12] + (pitch / 12 - 1);

    private static void ShadeBlackKeys(Plot plot, double bottom, double top)
    {
        int[] blackKeys = [1, 3, 6, 8, 10];
        for (int pitch = (int)Math.Ceiling(bottom); pitch <= top; pitch++)
        {
            if (!blackKeys.Contains(pitch % 12)) continue;
            var row = plot.Add.VerticalSpan(pitch - 0.5, pitch + 0.5, Colors.Black.WithAlpha(0.05));
            row.LineWidth = 0;
        }
    }

    /// <summary>A labelled tick at every C and a line at the bottom edge of its row, where each octave starts.</summary>
    private static void AddOctaveLines(Plot plot, double bottom, double top)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int pitch = 0; pitch <= 127; pitch += 12)
        {
            if (pitch < bottom || pitch > top) continue;
            ticks.AddMajor(pitch, PitchName(pitch));
            plot.Add.HorizontalLine(pitch - 0.5, 1, Colors.Gray.WithAlpha(0.8));
        }
        plot.Axes.Left.TickGenerator = ticks;
        plot.Grid.YAxisStyle.MajorLineStyle.IsVisible = false;
    }

    /// <summary>Velocity 0..127 from light to dark blue, never white, so soft notes stay visible.</summary>
    private sealed class VelocityScale : IHasColorAxis
    {
        public IColormap Colormap { get; } = new LightToDark(new ScottPlot.Colormaps.Blues());

        public ScottPlot.Range GetRange() => new(0, 127);

        public Color ColorOf(int velocity) => Colormap.GetColor(Math.Clamp(velocity, 0, 127) / 127.0);
    }

    /// <summary>ScottPlot's Blues runs from dark (0) to white (1); this runs from light blue (0) to dark (1).</summary>
    private sealed class LightToDark(IColormap blues) : IColormap
    {
        public string Name => "light to dark blue";

        public Color GetColor(double position) => blues.GetColor(0.8 * (1 - Math.Clamp(position, 0, 1)));
    }
}

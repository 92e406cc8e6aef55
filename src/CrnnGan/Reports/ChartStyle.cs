using CrnnGan.Evaluation;
using ScottPlot;
using SkiaSharp;

namespace CrnnGan.Reports;

/// <summary>Colours, fonts and the PNG encoding every chart shares.</summary>
internal static class ChartStyle
{
    private static readonly Lock FontLock = new();
    private static bool _fontsChecked;

    /// <summary>Series colours (Tableau 10), one per run.</summary>
    public static readonly Color[] Series = new ScottPlot.Palettes.Category10().Colors;

    public static readonly Color RealMusic = Color.FromHex("#222222");
    public static readonly Color GeneratorPretraining = Color.FromHex("#4C72B0").WithAlpha(0.12);
    public static readonly Color DiscriminatorPretraining = Color.FromHex("#DD8452").WithAlpha(0.14);

    public static Color SeriesColor(int index) => Series[index % Series.Length];

    /// <summary>
    /// Null when text can be drawn; otherwise why not (no font installed: SkiaSharp then draws no letters at all).
    /// Also makes a sans-serif face the default when the system has one (ScottPlot picks the first face it finds).
    /// </summary>
    public static string? FontProblem { get; private set; }

    public static void EnsureFonts()
    {
        lock (FontLock)
        {
            if (_fontsChecked) return;
            _fontsChecked = true;
            if (!SKFontManager.Default.FontFamilies.Any())
            {
                FontProblem = "no fonts are installed, so the pictures have no text; install one (e.g. Debian's fonts-dejavu-core)";
                return;
            }
            foreach (string family in new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", Fonts.Sans })
            {
                using var typeface = SKFontManager.Default.MatchFamily(family);
                if (typeface is null) continue;
                Fonts.Default = family;
                break;
            }
        }
    }

    /// <summary>Integer epochs on the horizontal axis, with half an epoch of room on each side.</summary>
    public static void EpochAxis(Plot plot, int lastEpoch)
    {
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.SetLimitsX(0.5, Math.Max(1, lastEpoch) + 0.5);
        plot.XLabel("epoch");
    }

    /// <summary>Fits the vertical axis to everything drawn, reference lines included, with some room above and below.</summary>
    public static void FitVertically(Plot plot)
    {
        plot.Axes.MarginsY(0.12);
        plot.Axes.AutoScaleY();
    }

    public static byte[] Png(Plot plot, int width, int height) => plot.GetImageBytes(width, height, ImageFormat.Png);

    /// <summary>Panels under a header: a title line and, below it, the legend of <paramref name="legendOf"/> (shared by all panels).</summary>
    public static byte[] Png(Multiplot panels, string title, Plot? legendOf, int width, int height)
    {
        using var legend = LegendImage(legendOf);
        const int titleHeight = 44;
        int legendHeight = legend is null ? 0 : (int)Math.Ceiling(legend.Height * LegendScale(legend, width)) + 6;
        int headerHeight = titleHeight + legendHeight;

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info);
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        // Multiplot layouts place panels from the canvas origin whatever rectangle they are given, hence the translation.
        canvas.Save();
        canvas.Translate(0, headerHeight);
        panels.Render(canvas, new PixelRect(0, width, height - headerHeight, 0));
        canvas.Restore();

        // Drawn after the panels, because a multiplot may clear the whole canvas before it draws.
        using (var background = new SKPaint { Color = SKColors.White })
            canvas.DrawRect(0, 0, width, headerHeight, background);
        using (var typeface = SKTypeface.FromFamilyName(Fonts.Default, SKFontStyle.Bold))
        using (var font = new SKFont(typeface, 22))
        using (var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true })
        {
            while (font.Size > 10 && font.MeasureText(title) > width - 32) font.Size -= 1;
            canvas.DrawText(title, width / 2f, 30, SKTextAlign.Center, font, ink);
        }
        if (legend is not null)
        {
            float scale = LegendScale(legend, width);
            float legendWidth = legend.Width * scale;
            float left = (width - legendWidth) / 2;
            using var paint = Paint.NewDisposablePaint();
            legend.Render(canvas, new PixelRect(left, left + legendWidth, titleHeight + legend.Height * scale, titleHeight), paint, antiAlias: true);
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>The legend of the labelled plottables of <paramref name="plot"/> in one row, or null when none has a label.</summary>
    private static Image? LegendImage(Plot? plot)
    {
        if (plot is null || (plot.Legend.ManualItems.Count == 0 && !plot.GetPlottables().Any(p => p.LegendItems.Any(i => !string.IsNullOrEmpty(i.LabelText)))))
            return null;
        var legend = plot.ShowLegend();
        legend.Orientation = Orientation.Horizontal;
        legend.FontSize = 14;
        legend.SymbolWidth = 32;
        legend.TightHorizontalWrapping = true;
        var image = plot.GetLegendImage();
        plot.HideLegend();
        return image;
    }

    private static float LegendScale(Image legend, int width) => Math.Min(1f, (width - 24f) / legend.Width);
}

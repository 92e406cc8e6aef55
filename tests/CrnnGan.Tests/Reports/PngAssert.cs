using System.Buffers.Binary;
using SkiaSharp;

namespace CrnnGan.Tests.Reports;

internal static class PngAssert
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static void IsPng(string path, int width, int height) => IsPng(File.ReadAllBytes(path), width, height);

    /// <summary>The PNG signature, an IHDR chunk first with the expected size, and a full decode to that size.</summary>
    public static void IsPng(byte[] bytes, int width, int height) => Assert.Equal((width, height), Size(bytes));

    /// <summary>Width and height of a valid PNG: the signature, an IHDR chunk first, and a full decode agreeing with it.</summary>
    public static (int Width, int Height) Size(byte[] bytes)
    {
        Assert.True(bytes.Length > 33, $"{bytes.Length} bytes is too short for a PNG");
        Assert.Equal(Signature, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        int width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16));
        int height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20));
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        Assert.Equal((width, height), (bitmap.Width, bitmap.Height));
        return (width, height);
    }

    /// <summary>How many distinct colours a PNG uses: a chart that drew anything has far more than its background.</summary>
    public static int DistinctColors(byte[] bytes)
    {
        using var bitmap = SKBitmap.Decode(bytes);
        return bitmap.Pixels.Distinct().Count();
    }
}

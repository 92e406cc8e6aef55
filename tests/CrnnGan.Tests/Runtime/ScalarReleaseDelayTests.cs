using System.Reflection;
using System.Runtime.InteropServices;
using CrnnGan.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Tests.Runtime;

[Collection(TorchCollection.Name)]
public class ScalarReleaseDelayTests
{
    private static bool Expected =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64
        && Environment.GetEnvironmentVariable("CRNNGAN_SCALAR_DELAY")?.Trim() != "0";

    [Fact]
    public void AFreedScalarStaysReadableOnX64Linux()
    {
        TorchRuntime.EnsureLoaded();
        Assert.True(Expected == ScalarReleaseDelay.Applied, ScalarReleaseDelay.Status);
        if (!Expected) return;
        var scalar = 2.5.ToScalar();
        var handle = (IntPtr)typeof(Scalar).GetField("handle", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(scalar)!;
        scalar.Dispose();
        // Freed at once, malloc would write its free-list links over the tag and the value.
        Assert.Equal(0, Marshal.ReadInt32(handle)); // c10::Scalar: the tag (0 for a double), then the value at 16
        Assert.Equal(2.5, BitConverter.Int64BitsToDouble(Marshal.ReadInt64(handle, 16)));
    }

    [Fact]
    public void ArithmeticSurvivesCollectionsOnAnotherThread()
    {
        TorchRuntime.EnsureLoaded();
        if (!Expected) return;
        var stop = DateTime.UtcNow.AddSeconds(3);
        var collector = new Thread(() =>
        {
            while (DateTime.UtcNow < stop)
            {
                var garbage = new byte[20_000][];
                for (int i = 0; i < garbage.Length; i++) garbage[i] = new byte[64];
                GC.Collect(0);
            }
        });
        collector.Start();
        using var a = ones(4);
        var failures = new List<string>();
        long operations = 0;
        while (DateTime.UtcNow < stop)
        {
            try
            {
                using var sum = a + a; // the implicit alpha = 1 is a finalised Scalar
                using var scaled = sum * 2.0;
                operations++;
            }
            catch (ExternalException e)
            {
                failures.Add(e.Message.Split('\n')[0]);
            }
        }
        collector.Join();
        Assert.True(operations > 1000, $"only {operations} operations");
        Assert.Empty(failures);
    }
}

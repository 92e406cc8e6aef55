namespace CrnnGan.Tests;

/// <summary>
/// A theory skipped when the tests run as root (as in many CI containers), whom file permissions do not stop:
/// a read-only folder is no obstacle there, so a test of one would prove nothing.
/// </summary>
public sealed class TheoryUnlessRootAttribute : TheoryAttribute
{
    public TheoryUnlessRootAttribute()
    {
        if (OperatingSystem.IsWindows())
            Skip = "chmod-style read-only folders are a Unix test";
        else if (Environment.IsPrivilegedProcess)
            Skip = "running as root, which writes into read-only (0555) folders regardless; the --out-under-a-regular-file cases cover unwritable output for root";
    }
}

namespace CrnnGan.Cli.Output;

/// <summary>Reports on the calling thread, unlike <see cref="Progress{T}"/>, which posts to a synchronization context.</summary>
public sealed class CallbackProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

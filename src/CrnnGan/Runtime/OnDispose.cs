namespace CrnnGan.Runtime;

/// <summary>Runs an action when disposed: puts back a setting changed for a <c>using</c> block.</summary>
internal sealed class OnDispose(Action action) : IDisposable
{
    public void Dispose() => action();
}

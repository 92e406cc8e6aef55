using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>What D says of a batch: the decision per song (mean over steps of a per-step sigmoid) and its last LSTM layer's outputs.</summary>
public sealed record DiscriminatorOutput(Tensor Decision, Tensor Features) : IDisposable
{
    public void Dispose()
    {
        Decision.Dispose();
        Features.Dispose();
    }
}

/// <summary>
/// D: dropout on the input events (with <see cref="PitchClassFeatures"/> appended when given), a (bidirectional)
/// stacked LSTM, a shared linear + sigmoid per step, averaged.
/// </summary>
public sealed class Discriminator : nn.Module<Tensor, DiscriminatorOutput>
{
    private readonly Dropout _inputDropout;
    private readonly LSTM _lstm;
    private readonly Linear _classifier;
    private readonly PitchClassFeatures? _pitchClasses;

    public Discriminator(ModelConfig config, PitchClassFeatures? pitchClasses = null) : base(nameof(Discriminator))
    {
        config.Validate();
        Config = config;
        _pitchClasses = pitchClasses;
        _inputDropout = nn.Dropout(config.DiscriminatorInputDropout);
        _lstm = nn.LSTM(config.OutputCount + (pitchClasses?.Count ?? 0), config.Hidden, config.Layers, batchFirst: true, bidirectional: config.BidirectionalDiscriminator,
            dropout: config.Layers > 1 ? config.Dropout : 0);
        _classifier = nn.Linear(config.Hidden * (config.BidirectionalDiscriminator ? 2 : 1), 1);
        RegisterComponents();
    }

    public ModelConfig Config { get; }

    /// <param name="events">(batch, length, features)</param>
    public override DiscriminatorOutput forward(Tensor events)
    {
        using var scope = NewDisposeScope();
        var input = _pitchClasses is null ? events : cat([events, _pitchClasses.call(events)], dim: -1);
        var (features, h, c) = _lstm.call(_inputDropout.call(input), null);
        var decision = sigmoid(_classifier.call(features)).squeeze(-1).mean([1L]);
        return new DiscriminatorOutput(decision.MoveToOuterDisposeScope(), features.MoveToOuterDisposeScope());
    }
}

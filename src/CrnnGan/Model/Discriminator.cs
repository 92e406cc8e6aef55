using CrnnGan.Data;
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
/// D: dropout on the input events, a (bidirectional) stacked LSTM, a shared linear + sigmoid per step, averaged.
/// With <see cref="ModelConfig.DiscriminatorSongMoments"/> above 0, every step's features also hold the song's moments:
/// the mean and standard deviation over its steps of each value D reads, times that scale. An LSTM judges a song step
/// by step, and feature matching then pulls G's songs towards one average song; with the moments in its last layer, G's
/// feature matching (means and spreads between songs) also matches how loud or flat, wide or narrow, chordal or not the
/// songs are, one by one, and D can judge them as a whole.
/// With <see cref="ModelConfig.DiscriminatorSongLags"/> above 0, they also hold how far each value moves over 1 to
/// <see cref="ModelConfig.SongLagCount"/> steps (the root mean square over the song of x[t] - x[t - lag]), times that
/// scale. A G caught in a loop of a few events repeats its pitches at the loop's length, where real music varies: the
/// lag of the loop's length is near 0, which the paper's repetitions and unique tones count and an LSTM judging step by
/// step can miss.
/// </summary>
public sealed class Discriminator : nn.Module<Tensor, DiscriminatorOutput>
{
    private readonly Dropout _inputDropout;
    private readonly LSTM _lstm;
    private readonly Linear _classifier;
    private readonly MusicalInputs? _musical;

    /// <param name="scaling">The run's scaling, which D needs to read rhythm and intervals when the config asks for them.</param>
    public Discriminator(ModelConfig config, FeatureScaling? scaling = null) : base(nameof(Discriminator))
    {
        config.Validate();
        Config = config;
        if (config.DiscriminatorRhythm > 0 || config.DiscriminatorIntervals > 0)
            _musical = new MusicalInputs(config.TonesPerCell, scaling ?? FeatureScaling.Default, config.DiscriminatorRhythm, config.DiscriminatorIntervals);
        _inputDropout = nn.Dropout(config.DiscriminatorInputDropout);
        int inputs = config.OutputCount + config.LabelCount + (_musical?.Count ?? 0);
        _lstm = nn.LSTM(inputs, config.Hidden, config.Layers, batchFirst: true, bidirectional: config.BidirectionalDiscriminator,
            dropout: config.Layers > 1 ? config.Dropout : 0);
        int songMoments = config.DiscriminatorSongMoments > 0 ? 2 * inputs : 0;
        int songLags = config.DiscriminatorSongLags > 0 ? ModelConfig.SongLagCount * inputs : 0;
        _classifier = nn.Linear(config.Hidden * (config.BidirectionalDiscriminator ? 2 : 1) + songMoments + songLags, 1);
        RegisterComponents();
    }

    public ModelConfig Config { get; }

    /// <param name="events">(batch, length, features); a conditioned D's with each song's label beside every event
    /// (<see cref="Conditioning.Beside"/>).</param>
    public override DiscriminatorOutput forward(Tensor events)
    {
        using var scope = NewDisposeScope();
        var input = Inputs(events);
        var x = _inputDropout.call(input);
        var features = FusedLstm.Handles(x)
            ? FusedLstm.Run(x, _lstm.parameters().ToArray<Tensor>(), Directions, MasksBetweenLayers(x.shape[0], x.shape[1]))
            : _lstm.call(x, null).Item1;
        return Judge(input, features, _classifier.weight!, _classifier.bias!);
    }

    internal int Directions => Config.BidirectionalDiscriminator ? 2 : 1;

    /// <summary>The dropout masks between D's LSTM layers for (batch, length) songs, as nn.LSTM's dropout would
    /// draw them: none in evaluation mode.</summary>
    internal Tensor?[] MasksBetweenLayers(long batch, long length) =>
        FusedLstm.DropoutMasks(Config.Layers, batch, length, Directions * Config.Hidden, Config.Dropout, training, _classifier.weight!.device);

    /// <summary>What D's LSTM reads of the events: the events as they are, then their rhythm and intervals when asked
    /// (<see cref="MusicalInputs"/>).</summary>
    internal Tensor Inputs(Tensor events) => _musical is null ? events : cat([events, _musical.Of(events)], dim: -1);

    /// <summary>The last layer (the LSTM's features, then the song moments and lags) and the decision from it;
    /// call it in a dispose scope, whose outer scope receives the result.</summary>
    internal DiscriminatorOutput Judge(Tensor input, Tensor lstmFeatures, Tensor classifierWeight, Tensor classifierBias)
    {
        var features = lstmFeatures;
        if (Config.DiscriminatorSongMoments > 0)
            features = cat([features, SongMoments(input).expand(-1, features.shape[1], -1)], dim: -1);
        if (Config.DiscriminatorSongLags > 0)
            features = cat([features, SongLags(input).expand(-1, features.shape[1], -1)], dim: -1);
        var decision = sigmoid(nn.functional.linear(features, classifierWeight, classifierBias)).squeeze(-1).mean([1L]);
        return new DiscriminatorOutput(decision.MoveToOuterDisposeScope(), features.MoveToOuterDisposeScope());
    }

    /// <summary>Values per step D's LSTM reads.</summary>
    internal int InputCount => (int)_lstm.named_parameters().First(p => p.name == "weight_ih_l0").parameter.shape[1];

    internal IEnumerable<(string Name, Parameter Weight)> LstmWeights => _lstm.named_parameters();

    internal Linear Classifier => _classifier;

    /// <summary>(batch, 1, 2 x values): each value's mean over the song's steps, then its standard deviation.</summary>
    private Tensor SongMoments(Tensor input)
    {
        var mean = input.mean([1L], keepdim: true);
        // sqrt(var + eps): a flat value (a song at one velocity) keeps a finite gradient.
        var std = (input - mean).square().mean([1L], keepdim: true).add(1e-6).sqrt();
        return cat([mean, std], dim: -1).mul(Config.DiscriminatorSongMoments);
    }

    /// <summary>(batch, 1, <see cref="ModelConfig.SongLagCount"/> x values): for lag 1, 2, ..., each value's root mean
    /// square change over that many steps; 0 for lags as long as the song or longer.</summary>
    private Tensor SongLags(Tensor input)
    {
        long length = input.shape[1];
        var lags = new Tensor[ModelConfig.SongLagCount];
        for (int lag = 1; lag <= lags.Length; lag++)
        {
            lags[lag - 1] = lag < length
                ? (input[.., lag..] - input[.., ..(int)(length - lag)]).square().mean([1L], keepdim: true).add(1e-6).sqrt()
                : zeros(input.shape[0], 1, input.shape[2], dtype: input.dtype, device: input.device);
        }
        return cat(lags, dim: -1).mul(Config.DiscriminatorSongLags);
    }
}

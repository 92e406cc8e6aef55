using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>The dropout masks of one pass of <see cref="FrozenDiscriminator"/>, drawn beforehand (null: none).</summary>
public sealed record DiscriminatorMasks(Tensor? Input, Tensor?[] BetweenLayers);

/// <summary>
/// D as G's loss sees it: a copy of D's weights, refreshed before each use, that takes no part in D's learning (its
/// verdict is differentiated with respect to the songs alone). Its dropout masks are drawn beforehand
/// (<see cref="DrawMasks"/>), so the pass itself draws no random numbers: that is what lets it run on one thread while
/// D's own pass, which does draw, runs on another, and the run stays the same whatever the threads' timing. For that it
/// runs D's LSTM one layer at a time, with the masks between the layers. With the same masks it computes what
/// <see cref="Discriminator"/> computes in training mode.
/// </summary>
public sealed class FrozenDiscriminator : IDisposable
{
    private readonly Discriminator _source;
    private readonly LSTM[] _layers;
    private readonly (Parameter Copy, Parameter Source)[] _pairs;
    private readonly int _inputCount;

    public FrozenDiscriminator(Discriminator source)
    {
        _source = source;
        var config = source.Config;
        int directions = config.BidirectionalDiscriminator ? 2 : 1;
        _inputCount = source.InputCount;
        _layers = new LSTM[config.Layers];
        var sourceWeights = source.LstmWeights.ToDictionary(w => w.Name, w => w.Weight);
        var pairs = new List<(Parameter, Parameter)>();
        for (int l = 0; l < config.Layers; l++)
        {
            _layers[l] = nn.LSTM(l == 0 ? _inputCount : directions * config.Hidden, config.Hidden, 1, batchFirst: true,
                bidirectional: config.BidirectionalDiscriminator);
            _layers[l].to(sourceWeights["weight_ih_l0"].device);
            foreach (var (name, copy) in _layers[l].named_parameters())
            {
                copy.requires_grad = false;
                pairs.Add((copy, sourceWeights[name.Replace("_l0", $"_l{l}")]));
            }
        }
        _pairs = pairs.ToArray();
    }

    /// <summary>Copies D's current weights.</summary>
    public void Refresh()
    {
        using var noGrad = no_grad();
        foreach (var (copy, source) in _pairs) copy.copy_(source);
    }

    /// <summary>The masks D's dropout would draw for (batch, length) songs: none while D is in evaluation mode.</summary>
    public DiscriminatorMasks DrawMasks(long batch, long length)
    {
        var config = _source.Config;
        var device = _pairs[0].Copy.device;
        Tensor? Mask(long width, double p) => _source.training && p > 0
            ? bernoulli(full(new[] { batch, length, width }, 1 - p, device: device)).div_(1 - p)
            : null;
        return new DiscriminatorMasks(Mask(_inputCount, config.DiscriminatorInputDropout), _source.MasksBetweenLayers(batch, length));
    }

    /// <param name="events">(batch, length, features)</param>
    public DiscriminatorOutput Judge(Tensor events, DiscriminatorMasks masks)
    {
        using var scope = NewDisposeScope();
        var input = _source.Inputs(events);
        var x = masks.Input is null ? input : input * masks.Input;
        if (FusedLstm.Handles(x))
            x = FusedLstm.Run(x, _layers.SelectMany(layer => layer.parameters()).ToArray<Tensor>(), _source.Directions, masks.BetweenLayers);
        else
            for (int l = 0; l < _layers.Length; l++)
            {
                if (l > 0 && masks.BetweenLayers[l - 1] is { } mask) x = x * mask;
                (x, _, _) = _layers[l].call(x, null);
            }
        return _source.Judge(input, x, _source.Classifier.weight!.detach(), _source.Classifier.bias!.detach());
    }

    public void Dispose()
    {
        foreach (var layer in _layers) layer.Dispose();
    }
}

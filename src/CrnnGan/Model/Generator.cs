using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// G: at each step, concat(z_t, previous event) -> linear + ReLU -> stacked LSTM (dropout between layers) -> linear.
/// Free running, the previous event is G's own last output; teacher forced, it is the real previous event.
/// The first "previous event" is uniform random noise.
/// </summary>
/// <remarks>
/// The input layer is kept as two linear maps, one of the noise and one of the previous event (their sum equals
/// the linear map of the concatenation), so the noise part of all steps is one matrix product. One fused
/// <see cref="LSTM"/> serves both modes: teacher forced it runs the whole sequence at once; free running it
/// runs one step at a time, carrying its state.
/// </remarks>
public sealed class Generator : nn.Module
{
    private readonly Linear _noiseInput;
    private readonly Linear _previousInput;
    private readonly LSTM _lstm;
    private readonly Linear _output;

    public Generator(ModelConfig config) : base(nameof(Generator))
    {
        config.Validate();
        Config = config;
        _noiseInput = nn.Linear(config.NoiseSize, config.Hidden);
        _previousInput = nn.Linear(config.FeatureCount, config.Hidden, hasBias: false);
        _lstm = nn.LSTM(config.Hidden, config.Hidden, config.Layers, batchFirst: true, dropout: config.Layers > 1 ? config.Dropout : 0);
        _output = nn.Linear(config.Hidden, config.FeatureCount);
        RegisterComponents();
    }

    public ModelConfig Config { get; }

    /// <summary>Generates <paramref name="length"/> events per song: (batch, length, features), in the scaled space.</summary>
    public Tensor Sample(long batch, long length)
    {
        using var scope = NewDisposeScope();
        var (noiseInput, first) = Noise(batch, length);
        var previous = first;
        (Tensor, Tensor)? state = null;
        var outputs = new Tensor[length];
        for (long t = 0; t < length; t++)
        {
            var x = nn.functional.relu(noiseInput[.., (int)t] + _previousInput.call(previous)).unsqueeze(1);
            var (y, h, c) = _lstm.call(x, state);
            state = (h, c);
            previous = outputs[t] = _output.call(y.squeeze(1));
        }
        return stack(outputs, dim: 1).MoveToOuterDisposeScope();
    }

    /// <summary>Predicts each event from the real events before it: output[t] is G's guess of real[t]. (batch, length, features).</summary>
    public Tensor TeacherForced(Tensor real)
    {
        using var scope = NewDisposeScope();
        long batch = real.shape[0], length = real.shape[1];
        var (noiseInput, first) = Noise(batch, length);
        var previous = cat([first.unsqueeze(1), real[.., ..(int)(length - 1)]], dim: 1);
        var x = nn.functional.relu(noiseInput + _previousInput.call(previous));
        var (y, _, _) = _lstm.call(x, null);
        return _output.call(y).MoveToOuterDisposeScope();
    }

    /// <summary>The noise's share of the input layer for every step (batch, length, hidden), and the random first "previous event".</summary>
    private (Tensor NoiseInput, Tensor FirstPrevious) Noise(long batch, long length)
    {
        var device = _output.weight!.device;
        var noise = rand(new[] { batch, length, (long)Config.NoiseSize }, device: device);
        var first = rand(new[] { batch, (long)Config.FeatureCount }, device: device);
        return (_noiseInput.call(noise), first);
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// G: at each step, concat(z_t, previous event) -> linear + ReLU -> stacked LSTM cells (dropout between) -> linear.
/// Free running, the previous event is G's own last output; teacher forced, it is the real previous event.
/// The first "previous event" is uniform random noise.
/// </summary>
public sealed class Generator : nn.Module
{
    private readonly Linear _input;
    private readonly ModuleList<LSTMCell> _cells;
    private readonly Dropout _dropout;
    private readonly Linear _output;

    public Generator(ModelConfig config) : base(nameof(Generator))
    {
        config.Validate();
        Config = config;
        _input = nn.Linear(config.NoiseSize + config.FeatureCount, config.Hidden);
        _cells = new ModuleList<LSTMCell>(Enumerable.Range(0, config.Layers).Select(_ => nn.LSTMCell(config.Hidden, config.Hidden)).ToArray());
        _dropout = nn.Dropout(config.Dropout);
        _output = nn.Linear(config.Hidden, config.FeatureCount);
        RegisterComponents();
    }

    public ModelConfig Config { get; }

    /// <summary>Generates <paramref name="length"/> events per song: (batch, length, features), in the scaled space.</summary>
    public Tensor Sample(long batch, long length) => Run(batch, length, teacher: null);

    /// <summary>Predicts each event from the real events before it: output[t] is G's guess of real[t]. (batch, length, features).</summary>
    public Tensor TeacherForced(Tensor real) => Run(real.shape[0], real.shape[1], real);

    private Tensor Run(long batch, long length, Tensor? teacher)
    {
        var device = _output.weight!.device;
        using var scope = NewDisposeScope();
        var noise = rand(new[] { batch, length, (long)Config.NoiseSize }, device: device);
        var previous = rand(new[] { batch, (long)Config.FeatureCount }, device: device);
        var states = new (Tensor H, Tensor C)[_cells.Count];
        for (int l = 0; l < states.Length; l++)
            states[l] = (zeros(batch, Config.Hidden, device: device), zeros(batch, Config.Hidden, device: device));

        var outputs = new Tensor[length];
        for (long t = 0; t < length; t++)
        {
            if (t > 0) previous = teacher is null ? outputs[t - 1] : teacher[.., (int)(t - 1)];
            var x = nn.functional.relu(_input.call(cat([noise[.., (int)t], previous], dim: 1)));
            for (int l = 0; l < _cells.Count; l++)
            {
                if (l > 0) x = _dropout.call(x);
                states[l] = _cells[l].call(x, states[l]);
                x = states[l].H;
            }
            outputs[t] = _output.call(x);
        }
        return stack(outputs, dim: 1).MoveToOuterDisposeScope();
    }
}

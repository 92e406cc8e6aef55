using CrnnGan.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Training;

/// <summary>
/// G, D, the averaged G and their optimisers, and one training step on a batch: teacher-forced pretraining of G, or
/// an adversarial step of D and G. Each step adds its losses and frozen counts to the epoch's <see cref="EpochAccumulator"/>.
/// </summary>
public sealed class GanStep : IDisposable
{
    private readonly TrainingConfig _config;
    private readonly TrainingData _data;
    private readonly FreezingRule _freezing;
    private readonly PitchClassHead? _pitchClassHead;
    private readonly SideThread? _sideThread;
    private readonly FrozenDiscriminator _discriminatorForG;
    private readonly SoftSongFeatures _songFeatures;

    /// <summary>Builds G, D (and the averaged G) from the current torch seed. A <paramref name="fresh"/> run's G starts
    /// with the training windows' share of songs at one velocity (see <see cref="GeneratorSongVelocities.StartSongVelocities"/>) and
    /// their song traits (<see cref="GeneratorSongTraits.SetSongTraits"/>); a resumed one loads both with its weights.</summary>
    public GanStep(TrainingConfig config, TrainingData data, Device device, bool fresh)
    {
        _config = config;
        _data = data;
        var model = config.Model;
        Generator = new Generator(config.Networks, data.Scaling);
        if (model.SongTraits && fresh) Generator.SetSongTraits(data.TraitWindows(config.Length, config.Seed));
        if (model.SongVelocity && fresh)
        {
            OneVelocityShareAtStart = data.ShareOfWindowsAtOneVelocity(config.Length);
            Generator.StartSongVelocities(OneVelocityShareAtStart.Value);
        }
        _pitchClassHead = model.PitchClassHead ? new PitchClassHead(model.TonesPerCell, data.Scaling) : null;
        Discriminator = new Discriminator(config.Networks, data.Scaling);
        Generator.to(device);
        Discriminator.to(device);
        if (config.Optimisation.AverageDecay > 0)
        {
            Average = new Generator(config.Networks, data.Scaling);
            Average.to(device);
            Average.load_state_dict(Generator.state_dict());
            Average.eval();
        }
        GeneratorOptimizer = CreateOptimizer(config, Generator.parameters(), config.Optimisation.LearningRate);
        DiscriminatorOptimizer = CreateOptimizer(config, Discriminator.parameters(),
            config.Optimisation.LearningRate * config.Optimisation.DiscriminatorLearningRateFactor);
        _freezing = new FreezingRule(config.Optimisation.Freezing, config.Optimisation.FreezeRatio);
        // CRNNGAN_SIDE_THREAD=0 keeps every pass on one thread (for benchmarks of the difference).
        _sideThread = device.type == DeviceType.CPU && Environment.GetEnvironmentVariable("CRNNGAN_SIDE_THREAD") != "0"
            ? new SideThread("crnngan D") : null;
        _discriminatorForG = new FrozenDiscriminator(Discriminator);
        _songFeatures = new SoftSongFeatures(model.TonesPerCell, data.Scaling);
    }

    public Generator Generator { get; }
    public Discriminator Discriminator { get; }
    /// <summary>The averaged G, when the run keeps one (see <see cref="OptimisationSettings.AverageDecay"/>).</summary>
    public Generator? Average { get; }
    public OptimizerHelper GeneratorOptimizer { get; }
    public OptimizerHelper DiscriminatorOptimizer { get; }
    public double? OneVelocityShareAtStart { get; }

    /// <summary>Where the step is, for the message of a loss or gradient that stopped being finite.</summary>
    public string Position { get; set; } = "";

    /// <summary>The optimiser a run with <paramref name="config"/> uses (its state is what a checkpoint stores).</summary>
    public static OptimizerHelper CreateOptimizer(TrainingConfig config, IEnumerable<Parameter> parameters, double learningRate) =>
        config.Optimisation.Adam
            ? torch.optim.Adam(parameters, learningRate, beta1: config.Optimisation.AdamBeta1)
            : torch.optim.SGD(parameters, learningRate);

    /// <summary>The torch device <see cref="RunSettings.Device"/> names.</summary>
    public static Device ResolveDevice(string name)
    {
        if (name.StartsWith("cuda", StringComparison.Ordinal) && !torch.cuda.is_available())
            throw new SettingException("run.device", $"{name}: this build runs on the CPU only (it uses TorchSharp-cpu; a GPU build needs TorchSharp-cuda in its place, see the README on GPUs)");
        return torch.device(name);
    }

    public void SetLearningRates(double learningRate)
    {
        foreach (var group in GeneratorOptimizer.ParamGroups) group.LearningRate = learningRate;
        foreach (var group in DiscriminatorOptimizer.ParamGroups)
            group.LearningRate = learningRate * _config.Optimisation.DiscriminatorLearningRateFactor;
    }

    /// <summary>One training step on a batch (batch, length, features) of scaled real events; a conditioned run's batch
    /// holds each song's label beside its events (see <see cref="Conditioning.Split"/>).</summary>
    public void Step(Tensor batch, TrainingPhase phase, EpochAccumulator partial)
    {
        var (events, labels) = Conditioning.Split(batch, Generator.Config.LabelCount);
        _labels = labels;
        try
        {
            using var scope = NewDisposeScope();
            var real = RealAsRead(events, _pitchClassHead, Generator);
            if (phase == TrainingPhase.Pretraining) Pretrain(real, partial);
            else Adversarial(real, partial);
        }
        finally
        {
            _labels = null;
            if (labels is not null)
            {
                labels.Dispose();
                events.Dispose();
            }
        }
    }

    /// <summary>Real events (batch, length, features) as G reads them and D judges them: with their pitch classes where G
    /// has a <see cref="PitchClassHead"/>, and the one-hots of the values G chooses where it has a <see cref="ChoiceHead"/>.</summary>
    internal static Tensor RealAsRead(Tensor events, PitchClassHead? pitchClassHead, Generator generator)
    {
        var withPitchClasses = pitchClassHead?.WithPitchClasses(events) ?? events;
        return generator.Choices?.WithChoices(withPitchClasses) ?? withPitchClasses;
    }

    /// <summary>G's teacher-forced next-event loss on <paramref name="real"/> (as <see cref="RealAsRead"/> gives it) from
    /// its <paramref name="guessed"/> output: the mean squared error, or where G chooses values the squared error of the
    /// rest plus the choices' cross-entropy.</summary>
    internal static Tensor NextEvent(Generator generator, Tensor guessed, Tensor real) =>
        generator.Choices?.NextEventLoss(guessed, real) ?? GanLosses.NextEvent(guessed, real);

    /// <summary>The labels (songs, labels) of the batch <see cref="Step"/> is on; null when the run is not conditioned.</summary>
    private Tensor? _labels;

    private void Pretrain(Tensor real, EpochAccumulator partial)
    {
        using var scope = NewDisposeScope();
        Generator.train();
        GeneratorOptimizer.zero_grad();
        var mse = NextEventLoss(real);
        double mseValue = CheckFinite(mse, "next-event MSE");
        (mse + GanLosses.L2(Generator.RegularizedParameters, _config.Optimisation.L2Scale)).backward();
        ClipGradients(Generator, "G");
        GeneratorOptimizer.step();
        UpdateAverage();
        partial.MseLoss += mseValue;
        partial.Batches++;
    }

    /// <summary>G's teacher-forced next-event loss on the real songs: the MSE, or with <c>losses.pretrain_samples</c> above 1
    /// the nearest draw's (<see cref="GanLosses.NextEventBestOf"/>).</summary>
    private Tensor NextEventLoss(Tensor real)
    {
        int samples = _config.Losses.PretrainSamples;
        return samples == 1 ? NextEvent(Generator, Generator.TeacherForced(real, labels: _labels), real)
            : GanLosses.NextEventBestOf(Generator.TeacherForced(real.repeat(samples, 1, 1), labels: _labels?.repeat(samples, 1)), real, samples);
    }

    /// <summary>
    /// D and G updates from the same generated songs and the same weights (both see the old weights, as in the paper's
    /// code). G's songs come without autograd's graph: D's verdict on them is differentiated back to the songs alone
    /// (D's weights need no gradient from G's loss; G's pass goes through a copy of D, <see cref="FrozenDiscriminator"/>),
    /// and from there <see cref="GeneratorTape"/> computes G's gradients.
    /// With two or more threads the step runs on two, one share of the cores each (<see cref="SideThread"/>): D's pass
    /// over the real songs beside G's sampling, D's pass over the generated songs beside G's pass through the copy, and
    /// D's backward pass beside G's. Every random number is drawn on this thread before the work it feeds, except D's
    /// own dropout, drawn by D's passes on the other thread while this one draws none, so the step is the same whatever
    /// the threads' timing, and the same (up to rounding) on one thread, where it all runs in this order.
    /// </summary>
    private void Adversarial(Tensor real, EpochAccumulator partial)
    {
        using var scope = NewDisposeScope();
        Generator.train();
        Discriminator.train();
        long batch = real.shape[0], length = real.shape[1];
        int threads = torch.get_num_threads();
        using var side = _sideThread is not null && threads >= 2
            ? _sideThread.Session(threads / 2, threads - threads / 2)
            : SideSession.Inline();
        var losses = _config.Losses;
        double l2 = _config.Optimisation.L2Scale;

        var randoms = Generator.DrawRandoms(batch, length, labels: _labels);
        DiscriminatorOutput onReal = null!;
        var realInput = Conditioning.Beside(real, _labels);
        var realPass = side.Start(() => onReal = Discriminator.call(realInput));
        var (fake, tape) = Generator.SampleWithTape(randoms);
        fake.requires_grad_(true);
        var judged = AsWritten(Generator.WriteVelocities(fake, randoms.Noise));
        SideSession.Wait(realPass);

        var fakeInput = Conditioning.Beside(judged, _labels).detach();
        _discriminatorForG.Refresh();
        var masks = _discriminatorForG.DrawMasks(batch, length);
        Tensor dLoss = null!;
        var fakePass = side.Start(() => dLoss = GanLosses.Discriminator(onReal.Decision, Discriminator.call(fakeInput).Decision));
        var onFake = _discriminatorForG.Judge(Conditioning.Beside(judged, _labels), masks);
        SideSession.Wait(fakePass);

        // D's real songs' features are what G's feature matching aims at (D is not run on the real songs twice).
        var realFeatures = onReal.Features.detach();
        var gAdversarial = GanLosses.Generator(onFake.Decision, GeneratorLossForm.NonSaturating);
        var gLoss = losses.FeatureMatching
            ? losses.FeatureMatchingOfMeans
                ? FeatureMatchingOfMeans(realFeatures, onFake.Features)
                : GanLosses.FeatureMatching(realFeatures, onFake.Features)
            : losses.GeneratorLoss == GeneratorLossForm.NonSaturating ? gAdversarial : GanLosses.Generator(onFake.Decision, losses.GeneratorLoss);

        double dValue = CheckFinite(dLoss, "D loss");
        double gValue = CheckFinite(gAdversarial, "G loss");
        double fmValue = losses.FeatureMatching ? CheckFinite(gLoss, "feature-matching loss") : double.NaN;
        var (trainD, trainG) = _freezing.Decide(dValue, gValue);
        if (losses.SongFeatureMmd > 0)
        {
            var mmd = GanLosses.SongFeatureMmd(_songFeatures.Of(real), _songFeatures.Of(judged));
            partial.SongFeatureMmd += CheckFinite(mmd, "song-feature MMD");
            gLoss = gLoss + losses.SongFeatureMmd * mmd;
        }

        var dBackward = trainD
            ? side.Start(() =>
            {
                DiscriminatorOptimizer.zero_grad();
                (l2 > 0 ? dLoss + GanLosses.L2(Discriminator.parameters(), l2) : dLoss).backward();
                ClipGradients(Discriminator, "D");
            })
            : Task.CompletedTask;
        if (trainG)
        {
            GeneratorOptimizer.zero_grad();
            gLoss.backward(); // G's own weights get gradients here only through WriteVelocities
            tape.Backward(fake.grad!);
            if (l2 > 0) GanLosses.L2(Generator.RegularizedParameters, l2).backward();
            // Drawn here, while the other thread runs D's backward pass, which draws no random numbers.
            if (losses.AdversarialNextEvent > 0)
            {
                var nextEvent = NextEventLoss(real);
                CheckFinite(nextEvent, "next-event loss");
                (losses.AdversarialNextEvent * nextEvent).backward();
            }
            ClipGradients(Generator, "G");
            GeneratorOptimizer.step();
            UpdateAverage();
        }
        SideSession.Wait(dBackward);
        if (trainD) DiscriminatorOptimizer.step();

        partial.DiscriminatorLoss += dValue;
        partial.GeneratorLoss += gValue;
        if (losses.FeatureMatching) partial.FeatureMatchingLoss += fmValue;
        partial.DiscriminatorFrozen += trainD ? 0 : 1;
        partial.GeneratorFrozen += trainG ? 0 : 1;
        partial.AdversarialBatches++;
        partial.Batches++;
    }

    /// <summary>Feature matching of means, with the spread term the settings ask for.</summary>
    private Tensor FeatureMatchingOfMeans(Tensor realFeatures, Tensor fakeFeatures)
    {
        var loss = GanLosses.FeatureMatchingOfMeans(realFeatures, fakeFeatures);
        double spread = _config.Losses.FeatureSpreadWeight;
        if (spread > 0)
            loss += spread * GanLosses.FeatureSpreadMatching(realFeatures, fakeFeatures);
        return loss;
    }

    /// <summary>The averaged G moves a (1 - decay) share of the way to the trained G after each of its steps.</summary>
    private void UpdateAverage()
    {
        if (Average is null) return;
        using var noGrad = no_grad();
        foreach (var (average, current) in Average.parameters().Zip(Generator.parameters()))
            average.lerp_(current, 1 - _config.Optimisation.AverageDecay);
    }

    private Tensor AsWritten(Tensor fake)
    {
        var written = _config.Model.ClampGeneratedTime ? WrittenEvents.ClampTimeAtZero(fake, _config.TonesPerCell, _data.Scaling) : fake;
        return _config.Model.TimeGrid > 0 ? TimeStaircase.Apply(written, _config.TonesPerCell, _data.Scaling.Time, _config.Model.TimeGrid) : written;
    }

    private double CheckFinite(Tensor loss, string name)
    {
        double value = loss.item<float>();
        if (!double.IsFinite(value))
            throw new TrainingDivergedException($"{name} became {value} in {Position}");
        return value;
    }

    /// <summary>Clips to <see cref="OptimisationSettings.ClipNorm"/>; a non-finite norm stops the step before it can reach the weights.</summary>
    private void ClipGradients(nn.Module module, string name)
    {
        double norm = nn.utils.clip_grad_norm_(module.parameters(), _config.Optimisation.ClipNorm);
        if (!double.IsFinite(norm))
            throw new TrainingDivergedException($"{name}'s gradient norm became {norm} in {Position}");
    }

    public void Dispose()
    {
        _sideThread?.Dispose();
        _discriminatorForG.Dispose();
        GeneratorOptimizer.Dispose();
        DiscriminatorOptimizer.Dispose();
        Generator.Dispose();
        Average?.Dispose();
        Discriminator.Dispose();
    }
}

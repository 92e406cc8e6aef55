using CrnnGan.Data;
using CrnnGan.Generation;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Tests.Generation;

[Collection(TorchCollection.Name)]
public sealed class WrittenReadBackTests
{
    [Fact]
    public void WhatGReadsBack_IsItsOutputAsWritten_OnSemitonesWithItsPitchClassOnTheCircle()
    {
        TorchRuntime.EnsureLoaded();
        var config = TinyRuns.Config().With("model.pitch_class_head=true");
        var scaling = FeatureScaling.Fit(SyntheticCorpus.Generate(10, seed: 3).Select(s => EventCodec.Encode(s)));
        torch.manual_seed(5);
        var output = randn(6, config.Networks.OutputCount) * 0.7;

        var read = WrittenReadBack.For(config.Networks, scaling)(output);

        int f = EventLayout.FrequencyIndex(0), features = EventLayout.FeatureCount(1);
        var pitch = ScaledPitch.ToPitch(read[.., f], scaling.Frequency);
        Assert.True((pitch - pitch.round()).abs().max().item<float>() < 1e-3, "pitches on semitones");
        var point = read[.., features..(features + 2)];
        var norms = point.square().sum(1).sqrt();
        Assert.True((norms - 1).abs().max().item<float>() < 1e-4, "points on the circle of fifths, as real events have them");
        Assert.Equal(new PitchClassHead(1, scaling).WithPitchClasses(read.unsqueeze(1)[.., .., ..features]).squeeze(1).data<float>().ToArray(),
            read.data<float>().ToArray());
        var ticks = read[.., EventLayout.TimeIndex(1)] * scaling.Time.Scale + scaling.Time.Offset;
        Assert.True(ticks.min().item<float>() >= -1e-3, "no time below zero");
        Assert.True((output[.., EventLayout.TimeIndex(1)] * scaling.Time.Scale + scaling.Time.Offset).min().item<float>() < 0, "the fixture has a time below zero to clamp");
    }

    [Fact]
    public void SamplingWithAReadBackOfTheOutputItself_IsThePapersSampling()
    {
        TorchRuntime.EnsureLoaded();
        var config = TinyRuns.Config();
        torch.manual_seed(1);
        using var generator = new CrnnGan.Model.Generator(config.Networks);
        generator.eval();
        using var noGrad = no_grad();

        torch.manual_seed(9);
        var plain = generator.Sample(3, 8);
        torch.manual_seed(9);
        var same = generator.Sample(3, 8, readBack: x => x.clone());
        torch.manual_seed(9);
        var other = generator.Sample(3, 8, readBack: x => x * 0);

        Assert.Equal(plain.data<float>().ToArray(), same.data<float>().ToArray());
        Assert.NotEqual(plain.data<float>().ToArray(), other.data<float>().ToArray());
    }
}

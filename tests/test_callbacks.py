import keras
import pytest

from course_utils import callbacks


def small_model():
    model = keras.Sequential([keras.Input((49,)), keras.layers.Dense(10, activation="softmax")])
    model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def test_epoch_logger_prints_every_kth_epoch(tiny_classifier_data, capsys):
    x, y = tiny_classifier_data
    small_model().fit(x, y, epochs=5, verbose=0, callbacks=[callbacks.epoch_logger(every=2)])
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split()[1] for line in lines] == ["1", "2", "4"]
    assert "accuracy=" in lines[0] and "loss=" in lines[0]


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2"])
def test_epoch_logger_rejects_bad_every(bad):
    with pytest.raises(ValueError, match="every must be a positive int"):
        callbacks.epoch_logger(every=bad)

import keras
import numpy as np
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
    with pytest.raises(ValueError, match="positive int"):
        callbacks.epoch_logger(every=0)


def test_early_stopping_stops_and_restores(tiny_classifier_data):
    x, y = tiny_classifier_data
    model = small_model()
    model.compile(keras.optimizers.SGD(0.0), "sparse_categorical_crossentropy")  # val_loss never improves
    stop = callbacks.early_stopping(patience=2)
    history = model.fit(x, y, validation_split=0.25, epochs=20, verbose=0, callbacks=[stop])
    assert stop.restore_best_weights and len(history.history["loss"]) == 3 and stop.stopped_epoch == 2


def test_checkpoint_saves_best_model_outside_repo(tiny_classifier_data, tmp_path):
    x, y = tiny_classifier_data
    model = small_model()
    ckpt = callbacks.checkpoint("ckpt_test")
    model.fit(x, y, validation_split=0.25, epochs=3, verbose=0, callbacks=[ckpt])
    assert ckpt.filepath == str(tmp_path / "runs" / "ckpt_test" / "best.keras")
    reloaded = keras.models.load_model(ckpt.filepath)
    assert reloaded.count_params() == model.count_params()
    np.testing.assert_allclose(reloaded.predict(x[:5], verbose=0).sum(axis=1), 1, rtol=1e-5)
    with pytest.raises(ValueError, match=r"must end in '\.keras'"):
        callbacks.checkpoint("ckpt_test", filename="best.h5")


def test_tensorboard_writes_event_files(tiny_classifier_data):
    x, y = tiny_classifier_data
    tb = callbacks.tensorboard("tb_test")
    small_model().fit(x, y, epochs=1, verbose=0, callbacks=[tb])
    events = list(__import__("pathlib").Path(tb.log_dir).rglob("events.out.tfevents.*"))
    assert events, "TensorBoard wrote no event file"
    assert callbacks.tensorboard_dir("tb_test") != callbacks.tensorboard_dir("tb_test")


def test_live_plot_records_history(tiny_classifier_data):
    x, y = tiny_classifier_data
    live = callbacks.LivePlot(metrics=("loss",), every=2)
    small_model().fit(x, y, epochs=3, verbose=0, callbacks=[live])
    assert len(live.history["loss"]) == 3 and len(live.history["accuracy"]) == 3

import keras
import numpy as np
import pytest
from matplotlib.colors import to_rgba

from course_utils import plots


@pytest.fixture(scope="module")
def history(tiny_classifier_data):
    x, y = tiny_classifier_data
    model = keras.Sequential([keras.Input((49,)), keras.layers.Dense(10, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model.fit(x, y, validation_split=0.25, epochs=3, verbose=0)


def test_plot_history_train_solid_validation_dashed(history):
    fig = plots.plot_history(history, metrics=("loss", "accuracy"))
    assert [ax.get_ylabel() for ax in fig.axes] == ["loss", "accuracy"]
    train, val = fig.axes[0].get_lines()
    assert train.get_linestyle() == "-" and val.get_linestyle() == "--"
    assert train.get_color() == val.get_color() and len(train.get_xdata()) == 3


def test_plot_history_several_runs_get_own_colours(history):
    fig = plots.plot_history({"a": history, "b": history.history})
    colours = {line.get_color() for line in fig.axes[0].get_lines()}
    assert len(fig.axes[0].get_lines()) == 4 and len(colours) == 2
    with pytest.raises(KeyError, match="metric 'auc' not in run a"):
        plots.plot_history({"a": history}, metrics="auc")
    with pytest.raises(TypeError, match="keras History"):
        plots.plot_history({"a": 3})


def test_show_images_titles_and_wrong_predictions_in_red():
    images = np.zeros((5, 8, 8), dtype=np.uint8)
    fig = plots.show_images(images, labels=[0, 1, 2, 3, 4], predictions=[0, 1, 9, 3, 4], ncols=3)
    assert len(fig.axes) == 6  # 2 rows of 3, the last one blank
    titles = [ax.get_title() for ax in fig.axes[:5]]
    assert titles[2] == "2→9" and to_rgba(fig.axes[2].title.get_color()) == to_rgba("red")
    assert to_rgba(fig.axes[0].title.get_color()) == to_rgba("black")


def test_show_images_rejects_bad_input():
    with pytest.raises(ValueError, match=r"images must have shape"):
        plots.show_images(np.zeros((4, 8)))
    with pytest.raises(ValueError, match="3 labels for 2 images"):
        plots.show_images(np.zeros((2, 8, 8)), labels=[1, 2, 3])


def test_confusion_matrix_counts():
    fig = plots.plot_confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0], class_names=["a", "b", "c"])
    matrix = np.asarray(fig.axes[0].images[0].get_array())
    np.testing.assert_array_equal(matrix, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["a", "b", "c"]
    with pytest.raises(ValueError, match="y_true has 2 labels, y_pred 1"):
        plots.plot_confusion_matrix([0, 1], [0])


def test_plot_functions_panels():
    x = np.linspace(-3, 3, 50)
    fig = plots.plot_functions(x, {"f": {"relu": lambda v: np.maximum(v, 0), "id": x},
                                   "f'": {"step": (x > 0).astype(float)}})
    assert [ax.get_title() for ax in fig.axes] == ["f", "f'"]
    np.testing.assert_allclose(fig.axes[0].get_lines()[0].get_ydata(), np.maximum(x, 0))
    with pytest.raises(ValueError, match="curve 'bad' has shape"):
        plots.plot_functions(x, {"bad": np.zeros(3)})


def test_feature_maps_and_filters():
    fig = plots.plot_feature_maps(np.random.rand(1, 6, 6, 5), ncols=5)
    assert sum(bool(ax.images) for ax in fig.axes) == 5
    fig = plots.plot_filters(np.random.rand(3, 3, 1, 8), ncols=4)
    assert sum(bool(ax.images) for ax in fig.axes) == 8 and fig.axes[0].images[0].get_array().shape == (3, 3)
    with pytest.raises(ValueError, match="feature maps must have shape"):
        plots.plot_feature_maps(np.zeros((2, 6, 6, 5)))
    with pytest.raises(ValueError, match="kernel must have shape"):
        plots.plot_filters(np.zeros((3, 3, 8)))


def test_decision_boundary_regions():
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([0, 0, 0, 1])
    fig = plots.plot_decision_boundary(lambda p: (p.sum(axis=1) > 1.5).astype(float), x, y, resolution=50)
    ax = fig.axes[0]
    assert ax.collections and ax.get_xlabel() == "$x_1$"
    with pytest.raises(ValueError, match=r"x must be \(n, 2\)"):
        plots.plot_decision_boundary(lambda p: p[:, 0], np.zeros((4, 3)), y)


def test_decision_boundary_keeps_class_colours_when_one_class_is_predicted():
    x = np.array([[0, 0], [1, 1]], dtype=float)
    fig = plots.plot_decision_boundary(lambda p: np.ones(len(p)), x, np.array([0, 1]), resolution=20)
    regions = fig.axes[0].collections[0]
    assert regions.get_clim() == (0, 1)  # all-class-1 regions get class 1's colour, not a grey middle


@pytest.mark.parametrize("bad", [[1, 2, 3], 0.5, None])
def test_plot_history_names_the_forms_it_takes(bad):
    with pytest.raises(TypeError, match=r"histories must be what fit\(\) returns"):
        plots.plot_history(bad)


@pytest.mark.parametrize("bad", [[0, np.nan], [0, -1], [0, 1.5]])
def test_confusion_matrix_rejects_non_labels(bad):
    with pytest.raises(ValueError, match="y_pred must hold integer class labels"):
        plots.plot_confusion_matrix([0, 1], bad)

"""Interactive dashboards, one module per notebook; every name below is ``mm.widgets.<name>``.

- 00 :mod:`.parabola` — gradient descent on a x²/2: the step factor r = 1 − lr·a
- 01 :mod:`.tangent` — the gradient as a slope; forward and central differences
- 02 :mod:`.linreg` — GD on linear regression: lr in units of 1/L, feature scaling
- 03 :mod:`.sgd` — full-batch, stochastic and mini-batch GD with schedules
- 04 :mod:`.race` — GD, momentum, RMSprop and Adam racing on a landscape
- 05 :mod:`.blend` — a blend of optimizers against its members
- 06 :mod:`.boundary` — a small network's decision boundary as it trains
- 07 :mod:`.fusion` — fusion models under noise; late fusion's weight α
- 08 :mod:`.multitask` — the multi-task trade-off over the auxiliary weight λ
- 09 :mod:`.efficiency` — one grid of runs on three clocks: examples, steps, seconds

Every dashboard has one shape, so a student can read any of them:

- ``compute_x(...)`` takes plain numbers and returns a small result object; it does all the
  math (by calling the numpy modules) and is unit-tested and timed without a screen;
- ``x_frame()`` builds the figure once: axes, labels, fixed limits, and the artists that change
  (registered with :meth:`~mmlearn.plots.Frame.animate`);
- ``draw_x(frame, result)`` updates those artists and returns a one-line status;
- ``x_dashboard(**defaults)`` wires controls to them through :class:`.dashboard.Dashboard`.

Bad input gets a ValueError naming the argument and what is allowed: ``compute_x`` checks its
numbers and names at the top (:func:`.dashboard.choice` for a name from a list), a control
checks the value it is given against its slider's range or its options (never clamping it), and
:meth:`.dashboard.Dashboard.set_values` checks every value before changing any control.

Only the changing artists are redrawn (blitting, see :class:`~mmlearn.plots.Frame`), which
keeps a redraw far under a fifth of a second. Displayed in a notebook executed without a front
end, a dashboard also offers its current frame as a static PNG, so the saved notebook reads
well on viewers without a kernel.
"""

from .blend import BLEND_RACERS, blend_dashboard, blend_members, compute_blend
from .boundary import (
    BLUE_ORANGE,
    BOUNDARY_DATA,
    BOUNDARY_GRID,
    BOUNDARY_LIMITS,
    OPTIMIZERS,
    BoundaryResult,
    boundary_dashboard,
    boundary_frame,
    boundary_image,
    boundary_result,
    compute_boundary,
    draw_boundary,
)
from .dashboard import (
    Dashboard,
    check_value,
    choice,
    choice_slider,
    dropdown,
    int_slider,
    log_slider,
    slider,
)
from .efficiency import (
    CLOCKS,
    EfficiencyResult,
    compute_efficiency,
    draw_efficiency,
    efficiency_dashboard,
    efficiency_frame,
)
from .fusion import (
    FUSION_ALPHAS,
    FUSION_TEST_N,
    FusionResult,
    compute_fusion,
    draw_fusion,
    fusion_dashboard,
    fusion_frame,
    fusion_test_set,
)
from .linreg import (
    LINREG_STEPS,
    SCALINGS,
    LinregResult,
    compute_linreg_gd,
    contour_gap_frame,
    contour_layer,
    draw_linreg_gd,
    linreg_dashboard,
    linreg_data,
    linreg_frame,
)
from .multitask import (
    MultitaskResult,
    compute_multitask,
    draw_multitask,
    multitask_dashboard,
    multitask_frame,
)
from .parabola import (
    GD_1D_A_RANGE,
    GD_1D_LR_RANGE,
    GD_1D_STEPS,
    GD_1D_X_MAX,
    REGIME_COLORS,
    GD1DResult,
    compute_gd_1d,
    draw_gd_1d,
    gd_1d_dashboard,
    gd_1d_frame,
    gd_1d_status,
)
from .race import (
    RACE_LANDSCAPES,
    RACE_LRS,
    RACE_STEPS,
    RACER_STYLES,
    RACERS,
    RaceResult,
    compute_race,
    draw_race,
    landscape_layer,
    race_dashboard,
    race_frame,
    race_optimizers,
)
from .sgd import (
    SCHEDULES,
    SGD_EPOCHS,
    SGDResult,
    compute_sgd,
    draw_sgd,
    make_schedule,
    sgd_dashboard,
    sgd_frame,
)
from .tangent import (
    H_GRID,
    LOSSES_1D,
    TANGENT_X_MAX,
    TangentResult,
    compute_tangent,
    draw_tangent,
    tangent_dashboard,
    tangent_frame,
)

__all__ = [
    # the shell, its controls, and the checks of a control's value
    "Dashboard",
    "slider",
    "log_slider",
    "int_slider",
    "choice_slider",
    "dropdown",
    "choice",
    "check_value",
    # 00 parabola
    "REGIME_COLORS",
    "GD_1D_X_MAX",
    "GD_1D_STEPS",
    "GD_1D_A_RANGE",
    "GD_1D_LR_RANGE",
    "GD1DResult",
    "compute_gd_1d",
    "gd_1d_frame",
    "draw_gd_1d",
    "gd_1d_status",
    "gd_1d_dashboard",
    # 01 tangent
    "LOSSES_1D",
    "TANGENT_X_MAX",
    "H_GRID",
    "TangentResult",
    "compute_tangent",
    "tangent_frame",
    "draw_tangent",
    "tangent_dashboard",
    # 02 linreg
    "LINREG_STEPS",
    "SCALINGS",
    "linreg_data",
    "LinregResult",
    "compute_linreg_gd",
    "contour_gap_frame",
    "contour_layer",
    "linreg_frame",
    "draw_linreg_gd",
    "linreg_dashboard",
    # 03 sgd
    "SGD_EPOCHS",
    "SCHEDULES",
    "make_schedule",
    "SGDResult",
    "compute_sgd",
    "sgd_frame",
    "draw_sgd",
    "sgd_dashboard",
    # 04 race
    "RACE_STEPS",
    "RACE_LANDSCAPES",
    "RACE_LRS",
    "RACERS",
    "RACER_STYLES",
    "race_optimizers",
    "RaceResult",
    "compute_race",
    "race_frame",
    "landscape_layer",
    "draw_race",
    "race_dashboard",
    # 05 blend
    "BLEND_RACERS",
    "blend_members",
    "compute_blend",
    "blend_dashboard",
    # 06 boundary
    "OPTIMIZERS",
    "BLUE_ORANGE",
    "BOUNDARY_DATA",
    "BOUNDARY_LIMITS",
    "BOUNDARY_GRID",
    "BoundaryResult",
    "compute_boundary",
    "boundary_result",
    "boundary_frame",
    "draw_boundary",
    "boundary_image",
    "boundary_dashboard",
    # 07 fusion
    "FUSION_TEST_N",
    "FUSION_ALPHAS",
    "FusionResult",
    "fusion_test_set",
    "compute_fusion",
    "fusion_frame",
    "draw_fusion",
    "fusion_dashboard",
    # 08 multitask
    "MultitaskResult",
    "compute_multitask",
    "multitask_frame",
    "draw_multitask",
    "multitask_dashboard",
    # 09 efficiency
    "CLOCKS",
    "EfficiencyResult",
    "compute_efficiency",
    "efficiency_frame",
    "draw_efficiency",
    "efficiency_dashboard",
]

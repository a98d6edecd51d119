package configs

import (
	_ "embed"
)

// SamplePlanName is the file name of the bundled sample plan.
const SamplePlanName = "ke-hoach-de-an-06-chanh-lo-2023.txt"

// SamplePlan is the 2023 plan of phường Chánh Lộ implementing Đề án 06,
// shipped so that the demo and the tests work on a fresh clone.
//
//go:embed plans/ke-hoach-de-an-06-chanh-lo-2023.txt
var SamplePlan []byte

// Example is configs/planbot.example.yaml: every setting, documented.
//
//go:embed planbot.example.yaml
var Example []byte

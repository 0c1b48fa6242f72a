module github.com/hotro-vn/hotro

go 1.26

require (
	github.com/expr-lang/expr v1.17.8 // indirect
	github.com/shopspring/decimal v1.6.0 // indirect
	github.com/stretchr/testify v1.12.1 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)

package admin_test

import (
	"errors"
	"fmt"

	"github.com/hotro-vn/hotro/admin"
)

func Example() {
	reg := admin.Default()

	// A pre-reform code: the commune as it was, with its district.
	c, _ := reg.Lookup("18073")
	fmt.Println(c.Name, "|", c.DistrictName, "|", c.Zone())

	// The commune it is part of since 2025-07-01.
	n, _ := reg.MapToNew("18073")
	fmt.Println(n.Code, n.Name, "|", n.ProvinceName, "|", n.Zone())

	// A commune split by the reform cannot be mapped from its code alone.
	_, err := reg.MapToNew("18082")
	fmt.Println(errors.Is(err, admin.ErrAmbiguousCommune), err)
	// Output:
	// Phường Nam Hà | Thành phố Hà Tĩnh | urban
	// 18073 Phường Thành Sen | Tỉnh Hà Tĩnh | urban
	// true ambiguous commune: old commune code 18082 (Phường Đại Nài) was split into 2 new communes: 18073 Phường Thành Sen, 18652 Phường Hà Huy Tập
}

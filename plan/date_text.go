package plan

// MarshalText writes "YYYY-MM-DD", or "" for the zero Date. It lets a
// Date be a YAML scalar or a map key.
func (d Date) MarshalText() ([]byte, error) {
	return []byte(d.String()), nil
}

// UnmarshalText reads "YYYY-MM-DD"; "" is the zero Date. Config files
// (YAML) decode dates through it.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

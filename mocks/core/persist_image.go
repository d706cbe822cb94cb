package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"
)

// A session's durable image is a set of parts, each saved whole as JSON: "core" (clock, ID
// generator, maintenance switches, faults), "downloads" (presigned files) and one "api:NAME"
// per mock (its exported state and settings). A change rewrites only the parts it touched.
const (
	partCore      = "core"
	partDownloads = "downloads"
	partAPIPrefix = "api:"
)

type coreImage struct {
	Clock       clockImage      `json:"clock"`
	IDs         []byte          `json:"ids"`
	Maintenance map[string]bool `json:"maintenance"`
	Faults      faultsImage     `json:"faults"`
}

// clockImage keeps the offset from real time, so a restored clock goes on ticking from the
// moment it was saved as if the process had never stopped; a frozen clock stays where it was.
type clockImage struct {
	Offset time.Duration `json:"offsetNs"`
	Frozen *time.Time    `json:"frozen,omitempty"`
}

type faultsImage struct {
	NextID int     `json:"nextId"`
	List   []Fault `json:"list"`
}

type downloadImage struct {
	Key         string    `json:"key"`
	ContentType string    `json:"contentType"`
	Data        []byte    `json:"data"`
	Expires     time.Time `json:"expires"`
}

type apiImage struct {
	State    json.RawMessage `json:"state"`
	Settings json.RawMessage `json:"settings"`
}

// partNames lists every part of the session, core first, so a restore sets the clock before
// any mock reads it.
func (s *Session) partNames() []string {
	names := make([]string, 0, len(s.instances))
	for api := range s.instances {
		names = append(names, partAPIPrefix+api)
	}
	sort.Strings(names)
	return append([]string{partCore, partDownloads}, names...)
}

// exportPart marshals one part of the session.
func (s *Session) exportPart(part string) (json.RawMessage, error) {
	switch part {
	case partCore:
		return json.Marshal(s.coreImage())
	case partDownloads:
		return json.Marshal(s.Downloads.image())
	}
	inst := s.instances[part[len(partAPIPrefix):]]
	if inst == nil {
		return nil, fmt.Errorf("no part %q", part)
	}
	state, err := inst.State()
	if err != nil {
		return nil, err
	}
	var img apiImage
	if img.State, err = json.Marshal(state); err != nil {
		return nil, err
	}
	if img.Settings, err = json.Marshal(inst.Settings()); err != nil {
		return nil, err
	}
	return json.Marshal(img)
}

// importPart restores one part saved by exportPart.
func (s *Session) importPart(part string, raw json.RawMessage) error {
	switch part {
	case partCore:
		var img coreImage
		if err := json.Unmarshal(raw, &img); err != nil {
			return err
		}
		return s.restoreCore(img)
	case partDownloads:
		var img []downloadImage
		if err := json.Unmarshal(raw, &img); err != nil {
			return err
		}
		s.Downloads.restore(img)
		return nil
	}
	inst := s.instances[part[len(partAPIPrefix):]]
	if inst == nil {
		return fmt.Errorf("no api %q is served now", part[len(partAPIPrefix):])
	}
	var img apiImage
	if err := json.Unmarshal(raw, &img); err != nil {
		return err
	}
	// Settings first: a mock may read them while loading its state. A mock with fixed
	// settings refuses any patch, so only a difference is patched; settings refused (a
	// field only the command line may set, say) do not keep the state from coming back.
	var settingsErr error
	if current, err := json.Marshal(inst.Settings()); err == nil && string(current) != string(img.Settings) {
		if err := inst.PatchSettings(img.Settings); err != nil {
			settingsErr = fmt.Errorf("settings: %w", err)
		}
	}
	if err := inst.SetState(img.State); err != nil {
		return errors.Join(settingsErr, fmt.Errorf("state: %w", err))
	}
	return settingsErr
}

func (s *Session) coreImage() coreImage {
	img := coreImage{Clock: s.Clock.image(), Maintenance: s.maintenanceState(), Faults: s.Faults.image()}
	s.IDs.mu.Lock()
	img.IDs, _ = s.IDs.pcg.MarshalBinary()
	s.IDs.mu.Unlock()
	return img
}

func (s *Session) restoreCore(img coreImage) error {
	if len(img.IDs) > 0 {
		s.IDs.mu.Lock()
		err := s.IDs.pcg.UnmarshalBinary(img.IDs)
		s.IDs.mu.Unlock()
		if err != nil {
			return fmt.Errorf("ids: %w", err)
		}
	}
	for api, on := range img.Maintenance {
		if s.instances[api] != nil {
			s.SetMaintenance(api, on)
		}
	}
	s.Faults.restore(img.Faults)
	s.Clock.restore(img.Clock)
	return nil
}

func (c *Clock) image() clockImage {
	c.mu.RLock()
	defer c.mu.RUnlock()
	img := clockImage{Offset: c.offset}
	if c.frozen != nil {
		t := *c.frozen
		img.Frozen = &t
	}
	return img
}

func (c *Clock) restore(img clockImage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.notifyLocked()
	c.offset, c.frozen = img.Offset, img.Frozen
}

func (fs *Faults) image() faultsImage {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	img := faultsImage{NextID: fs.nextID, List: make([]Fault, 0, len(fs.list))}
	for _, f := range fs.list {
		img.List = append(img.List, *f)
	}
	return img
}

func (fs *Faults) restore(img faultsImage) {
	list := make([]*Fault, 0, len(img.List))
	for _, f := range img.List {
		f := f
		f.compilePath()
		list = append(list, &f)
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.nextID, fs.list = img.NextID, list
}

func (d *Downloads) changes() uint64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.version
}

func (d *Downloads) image() []downloadImage {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]downloadImage, 0, len(d.objects))
	for key, o := range d.objects {
		out = append(out, downloadImage{Key: key, ContentType: o.contentType, Data: o.data, Expires: o.expires})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

func (d *Downloads) restore(img []downloadImage) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.objects = make(map[string]download, len(img))
	for _, o := range img {
		d.objects[o.Key] = download{contentType: o.ContentType, data: o.Data, expires: o.Expires}
	}
	d.version++
}

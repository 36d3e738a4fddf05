<?php
/**
 * Plugin Name:       Booking Widget
 * Description:       Embeds the self-hosted booking widget: [booking_widget specialist="dr-weber" service="consultation"]. Set your booking server's address under Settings → Booking Widget.
 * Version:           0.2.0
 * Requires at least: 6.3
 * Requires PHP:      7.4
 * License:           MIT
 * Text Domain:       booking-widget
 *
 * The widget is a custom element served by the booking server; this plugin only writes the
 * element and adds the server's classic-script loader (/widget-loader.js), which WordPress can
 * enqueue like any script and which adds the pinned, integrity-checked module itself. No data
 * is stored here but the server's address.
 */

if (!defined('ABSPATH')) {
	exit; // loaded by WordPress only
}

const BOOKING_WIDGET_OPTION = 'booking_widget_server_url';
const BOOKING_WIDGET_HANDLE = 'booking-widget-loader';

/** The server's origin as saved (https://booking.example.com, no trailing slash), or ''. */
function booking_widget_server_url() {
	return (string) get_option(BOOKING_WIDGET_OPTION, '');
}

/**
 * Settings sanitizer: an http(s) origin, optionally with a path prefix; anything else keeps the
 * previous value and reports why (a script URL from this field lands on every page with the shortcode).
 */
function booking_widget_sanitize_server_url($value) {
	$value = trim((string) $value);
	if ($value === '') {
		return '';
	}
	$parts = wp_parse_url($value);
	$ok = is_array($parts) && isset($parts['scheme'], $parts['host'])
		&& in_array(strtolower($parts['scheme']), array('http', 'https'), true)
		&& !isset($parts['user']) && !isset($parts['pass']) && !isset($parts['query']) && !isset($parts['fragment']);
	if (!$ok) {
		add_settings_error(BOOKING_WIDGET_OPTION, 'invalid', __('The booking server address must be an http(s) address such as https://booking.example.com.', 'booking-widget'));
		return booking_widget_server_url();
	}
	return untrailingslashit(esc_url_raw($value, array('http', 'https')));
}

/** [booking_widget specialist="…" service="…" locale="…" theme="…" timezone="…" checkout="…"] */
function booking_widget_shortcode($atts) {
	$atts = shortcode_atts(array(
		'specialist' => '',
		'service'    => '',
		'locale'     => '',
		'theme'      => '',
		'timezone'   => '',
		'checkout'   => '',
	), $atts, 'booking_widget');

	$server = booking_widget_server_url();
	if ($server === '') {
		// Visitors see nothing; an editor previewing the page learns what is missing.
		return current_user_can('manage_options')
			? '<p class="booking-widget-missing">' . esc_html__('Booking widget: set the booking server address under Settings → Booking Widget.', 'booking-widget') . '</p>'
			: '';
	}

	wp_enqueue_script(BOOKING_WIDGET_HANDLE, $server . '/widget-loader.js', array(), null, array('in_footer' => true, 'strategy' => 'async'));

	$html = '<booking-widget api="' . esc_attr($server) . '"';
	foreach ($atts as $name => $value) {
		$value = trim((string) $value);
		if ($value !== '') {
			$html .= ' ' . $name . '="' . esc_attr($value) . '"';
		}
	}
	return $html . '></booking-widget>';
}

function booking_widget_register_setting() {
	register_setting('booking_widget', BOOKING_WIDGET_OPTION, array(
		'type'              => 'string',
		'sanitize_callback' => 'booking_widget_sanitize_server_url',
		'default'           => '',
	));
	add_settings_section('booking_widget_server', __('Booking server', 'booking-widget'), '__return_false', 'booking_widget');
	add_settings_field(BOOKING_WIDGET_OPTION, __('Server address', 'booking-widget'), 'booking_widget_server_field', 'booking_widget', 'booking_widget_server', array('label_for' => BOOKING_WIDGET_OPTION));
}

function booking_widget_server_field() {
	printf(
		'<input type="url" class="regular-text" id="%1$s" name="%1$s" value="%2$s" placeholder="https://booking.example.com" />'
		. '<p class="description">%3$s</p>',
		esc_attr(BOOKING_WIDGET_OPTION),
		esc_attr(booking_widget_server_url()),
		esc_html__('Where your booking server runs. Add this site\'s address to the server\'s allowed origins (ALLOWED_ORIGINS or the console\'s Embed view).', 'booking-widget')
	);
}

function booking_widget_settings_page() {
	if (!current_user_can('manage_options')) {
		return;
	}
	echo '<div class="wrap"><h1>' . esc_html__('Booking Widget', 'booking-widget') . '</h1>';
	settings_errors(BOOKING_WIDGET_OPTION);
	echo '<form action="options.php" method="post">';
	settings_fields('booking_widget');
	do_settings_sections('booking_widget');
	submit_button();
	echo '</form>';
	echo '<p>' . esc_html__('Embed with the shortcode:', 'booking-widget') . ' <code>[booking_widget specialist="dr-weber" service="consultation"]</code></p></div>';
}

function booking_widget_admin_menu() {
	add_options_page(__('Booking Widget', 'booking-widget'), __('Booking Widget', 'booking-widget'), 'manage_options', 'booking-widget', 'booking_widget_settings_page');
}

add_shortcode('booking_widget', 'booking_widget_shortcode');
add_action('admin_init', 'booking_widget_register_setting');
add_action('admin_menu', 'booking_widget_admin_menu');
